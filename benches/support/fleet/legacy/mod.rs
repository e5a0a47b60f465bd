//! Legacy (Amazon Linux AMI) instances: cfn-hup.log's side of each command here; the
//! command processor and activity log in `command_processor`, deploys in `deploy`.

mod command_processor;
mod deploy;

use super::*;

// ---------------------------------------------------------------------------------------
// Legacy instances: cfn-hup.log, eb-commandprocessor.log, eb-activity.log
// ---------------------------------------------------------------------------------------

/// Share of a legacy instance's bytes that cfn-hup.log should hold.
pub(crate) const CFN_HUP_SHARE: f64 = 0.38;

pub(crate) fn amzn<'v>(v: &'v mut Vec<u8>, t: i64, level: &str) -> &'v mut Vec<u8> {
    ts_py(v, t);
    v.s(" [").s(level).s("] ")
}

pub(crate) fn pid_field(v: &mut Vec<u8>, pid: u64) {
    let start = v.len();
    v.s("[").n(pid).s("]");
    while v.len() - start < 7 {
        v.push(b' ');
    }
}

/// `[ts] LEVEL [pid]  : ` — `level` is already padded to five characters.
pub(crate) fn ruby<'v>(v: &'v mut Vec<u8>, t: i64, level: &str, pid: u64) -> &'v mut Vec<u8> {
    v.s("[");
    ts_iso_ms(v, t);
    v.s("] ").s(level).s(" ");
    pid_field(v, pid);
    v.s(" : ")
}

/// `[ts] INFO  [pid]  - [path] : `
pub(crate) fn act_hdr<'v>(v: &'v mut Vec<u8>, t: i64, pid: u64, path: &str) -> &'v mut Vec<u8> {
    v.s("[");
    ts_iso_ms(v, t);
    v.s("] INFO  ");
    pid_field(v, pid);
    v.s(" - [").s(path).s("] : ")
}

pub(crate) struct CommandIds {
    event_handle: String,
    invocation: String,
    request: String,
    receipt: String,
    expiration: u64,
}

/// A hook run by a legacy action, with what it printed.
pub(crate) struct Hook {
    name: String,
    dir: &'static str,
    lines: Vec<String>,
}

/// The part of a login shell's environment that `sudo service cfn-hup restart` carries
/// into every action's environment dict on the Amazon Linux AMI.
pub(crate) const LOGIN_SHELL_ENV: &str = "'HOSTNAME': 'ip-172-31-20-17', 'SHELL': '/bin/bash', 'HISTSIZE': '1000', 'EC2_AMITOOL_HOME': '/opt/aws/amitools/ec2', 'SUDO_GID': '500', 'USER': 'root', 'LS_COLORS': 'rs=0:di=38;5;27:ln=38;5;51:mh=44;38;5;15:pi=40;38;5;11:so=38;5;13:do=38;5;5:bd=48;5;232;38;5;11:cd=48;5;232;38;5;3:or=48;5;232;38;5;9:mi=05;48;5;232;38;5;15:su=48;5;196;38;5;15:sg=48;5;11;38;5;16:ca=48;5;196;38;5;226:tw=48;5;10;38;5;16:ow=48;5;10;38;5;21:st=48;5;21;38;5;15:ex=38;5;34:*.tar=38;5;9:*.tgz=38;5;9:*.arj=38;5;9:*.taz=38;5;9:*.lzh=38;5;9:*.lzma=38;5;9:*.tlz=38;5;9:*.txz=38;5;9:*.zip=38;5;9:*.z=38;5;9:*.Z=38;5;9:*.dz=38;5;9:*.gz=38;5;9:*.lz=38;5;9:*.xz=38;5;9:*.bz2=38;5;9:*.tbz=38;5;9:*.tbz2=38;5;9:*.bz=38;5;9:*.tz=38;5;9:*.deb=38;5;9:*.rpm=38;5;9:*.jar=38;5;9:*.rar=38;5;9:*.ace=38;5;9:*.zoo=38;5;9:*.cpio=38;5;9:*.7z=38;5;9:*.rz=38;5;9:*.jpg=38;5;13:*.jpeg=38;5;13:*.gif=38;5;13:*.bmp=38;5;13:*.pbm=38;5;13:*.pgm=38;5;13:*.ppm=38;5;13:*.tga=38;5;13:*.xbm=38;5;13:*.xpm=38;5;13:*.tif=38;5;13:*.tiff=38;5;13:*.png=38;5;13:*.svg=38;5;13:*.svgz=38;5;13:*.mng=38;5;13:*.pcx=38;5;13:*.mov=38;5;13:*.mpg=38;5;13:*.mpeg=38;5;13:*.m2v=38;5;13:*.mkv=38;5;13:*.ogm=38;5;13:*.mp4=38;5;13:*.m4v=38;5;13:*.mp4v=38;5;13:*.vob=38;5;13:*.qt=38;5;13:*.nuv=38;5;13:*.wmv=38;5;13:*.asf=38;5;13:*.rm=38;5;13:*.rmvb=38;5;13:*.flc=38;5;13:*.avi=38;5;13:*.fli=38;5;13:*.flv=38;5;13:*.gl=38;5;13:*.dl=38;5;13:*.xcf=38;5;13:*.xwd=38;5;13:*.yuv=38;5;13:*.cgm=38;5;13:*.emf=38;5;13:*.axv=38;5;13:*.anx=38;5;13:*.ogv=38;5;13:*.ogx=38;5;13:*.aac=38;5;45:*.au=38;5;45:*.flac=38;5;45:*.mid=38;5;45:*.midi=38;5;45:*.mka=38;5;45:*.mp3=38;5;45:*.mpc=38;5;45:*.ogg=38;5;45:*.ra=38;5;45:*.wav=38;5;45:*.axa=38;5;45:*.oga=38;5;45:*.spx=38;5;45:*.xspf=38;5;45:', 'SUDO_USER': 'ec2-user', 'SUDO_UID': '500', 'USERNAME': 'root', 'MAIL': '/var/spool/mail/ec2-user', 'AWS_CLOUDWATCH_HOME': '/opt/aws/apitools/mon', 'JAVA_HOME': '/usr/lib/jvm/jre', 'AWS_PATH': '/opt/aws', 'AWS_AUTO_SCALING_HOME': '/opt/aws/apitools/as', 'EC2_HOME': '/opt/aws/apitools/ec2', 'LOGNAME': 'root', 'AWS_ELB_HOME': '/opt/aws/apitools/elb', 'SUDO_COMMAND': '/sbin/service cfn-hup restart', 'HOME': '/root', 'LESSOPEN': '||/usr/bin/lesspipe.sh %s', 'G_BROKEN_FILENAMES': '1', ";

pub(crate) struct Legacy<'a> {
    env: &'a Env,
    inst: &'a Inst,
    rng: Rng,
    t: i64,
    cfn: LogFile,
    cp: LogFile,
    act: LogFile,
    stats: Stats,
    creds: Creds,
    next_cfn_alive: i64,
    next_cmd_alive: i64,
    next_refresh: i64,
    deploy_id: u64,
    serial: u64,
    pid: u64,
}

impl<'a> Legacy<'a> {
    pub(crate) fn new(env: &'a Env, inst: &'a Inst) -> Self {
        let mut rng = Rng::new(inst.seed);
        let dir = &inst.dir;
        let mut cfn = LogFile::new("cfn-hup.log", dir.join("cfn-hup.log"));
        if rng.chance(0.6) {
            let at = (inst.budget as f64 * CFN_HUP_SHARE * rng.range(25, 45) as f64 / 100.0) as u64;
            cfn = cfn.rotating(dir.join("cfn-hup.log.1.gz"), at);
        }
        Legacy {
            creds: Creds::new(&mut rng),
            t: inst.start,
            next_cfn_alive: inst.start + 15 * MIN,
            next_cmd_alive: inst.start + 5 * MIN,
            next_refresh: inst.start + HOUR,
            deploy_id: rng.range(1, 40),
            serial: rng.range(1, 60),
            pid: rng.range(2000, 3000),
            cp: LogFile::new(
                "eb-commandprocessor.log",
                dir.join("eb-commandprocessor.log"),
            ),
            act: LogFile::new("eb-activity.log", dir.join("eb-activity.log")),
            stats: Stats::default(),
            cfn,
            rng,
            env,
            inst,
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.cfn.len() + self.cp.len() + self.act.len()
    }

    pub(crate) fn tick(&mut self, lo_ms: u64, hi_ms: u64) {
        self.t += self.rng.range(lo_ms * 1000, hi_ms * 1000) as i64;
    }

    pub(crate) fn run(mut self) -> io::Result<Stats> {
        self.boot();
        while self.total() < self.inst.budget {
            let share = self.cfn.len() as f64 / self.total().max(1) as f64;
            if share < CFN_HUP_SHARE {
                let polls = self.rng.range(3, 60);
                self.idle(polls);
            } else {
                self.command();
            }
            self.cfn.boundary(&mut self.stats)?;
            self.cp.boundary(&mut self.stats)?;
            self.act.boundary(&mut self.stats)?;
            self.pace();
        }
        let mut stats = std::mem::take(&mut self.stats);
        self.cfn.finish(&mut stats)?;
        self.cp.finish(&mut stats)?;
        self.act.finish(&mut stats)?;
        Ok(stats)
    }

    /// With a span asked for, a quiet time until the clock is as far into the span as
    /// the bytes are into the budget; cfn-hup's periodic lines resume after it, once.
    pub(crate) fn pace(&mut self) {
        if let Some(at) = self.inst.paced_clock(self.total()) {
            if at > self.t {
                self.t = at;
                self.next_cmd_alive = self.next_cmd_alive.max(at + MIN);
                self.next_cfn_alive = self.next_cfn_alive.max(at + 3 * MIN);
                self.next_refresh = self.next_refresh.max(at + 10 * MIN);
            }
        }
    }

    // --- cfn-hup ---------------------------------------------------------------------

    pub(crate) fn boot(&mut self) {
        let (env, inst) = (self.env, self.inst);
        self.preinit();
        self.tick(5000, 20000);
        let v = &mut self.cfn.buf;
        let t = self.t;
        amzn(v, t, "INFO")
            .s("No umask value specified in config file. Using the default one: 022\n");
        let cf = format!("https://cloudformation.{}.amazonaws.com", env.region);
        let sqs = format!("https://sqs.{}.amazonaws.com", env.region);
        amzn(v, t + 311_000, "DEBUG")
            .s("CloudFormation client initialized with endpoint ")
            .s(&cf)
            .nl();
        amzn(v, t + 312_000, "DEBUG").s("Creating /var/lib/cfn-hup/data\n");
        amzn(v, t + 313_000, "DEBUG")
            .s("SQS client initialized with endpoint ")
            .s(&sqs)
            .nl();
        amzn(v, t + 313_000, "DEBUG")
            .s("CloudFormation client initialized with endpoint ")
            .s(&cf)
            .nl();
        amzn(v, t + 329_000, "DEBUG")
            .s("Describing resource AWSEBAutoScalingGroup in stack ")
            .s(&env.stack_name)
            .nl();
        amzn(v, t + 646_000, "DEBUG").s("No change in path Resources.AWSEBAutoScalingGroup.Metadata for hook app-config-refresh\n");
        amzn(v, t + 648_000, "DEBUG")
            .s("Registering listener ")
            .s(&inst.id)
            .s(" for stack ")
            .s(&env.stack_name)
            .nl();
        self.t += 1_000_000;
        self.refresh_credentials();
        self.next_refresh = self.t + HOUR - 500_000;
        self.next_cfn_alive = self.t + 15 * MIN;
        self.next_cmd_alive = self.t + 5 * MIN;
    }

    pub(crate) fn refresh_credentials(&mut self) {
        let (env, inst) = (self.env, self.inst);
        self.creds = Creds::new(&mut self.rng);
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "INFO").s("Refreshing listener credentials\n");
        amzn(v, t, "DEBUG")
            .s("Get listener credentials for listener ")
            .s(&inst.id)
            .s(" in stack ")
            .s(&env.stack_name)
            .nl();
        if self.rng.chance(0.02) {
            // The instance identity document fails now and then: raw HTML, then the traceback.
            amzn(v, t + 6_000, "ERROR")
                .s(HTTP_500_BODY)
                .s(HTTP_500_TRACEBACK);
            amzn(v, t + 7_000, "DEBUG")
                .s("Sleeping for 0.")
                .n(self.rng.range(100_000, 999_999))
                .s(" seconds before retrying\n");
        }
        let dt = self.rng.range(200, 500) as i64 * 1000;
        amzn(v, t + dt, "INFO")
            .s("Scheduling next credential refresh in 3599.4")
            .n(self.rng.range(9_000_000, 9_999_999))
            .s(" seconds\n");
        self.t += dt;
    }

    /// Long polls of the command queue, with the periodic chatter in between.
    pub(crate) fn idle(&mut self, polls: u64) {
        let inst = self.inst;
        let queue = &inst.listener_queue;
        for _ in 0..polls {
            let t = self.t;
            let v = &mut self.cfn.buf;
            amzn(v, t, "DEBUG")
                .s("Receiving messages for queue ")
                .s(queue)
                .nl();
            self.t += 20 * SEC + self.rng.range(2_000, 400_000) as i64;
            if self.rng.chance(0.004) {
                self.connection_error();
            }
            if self.t >= self.next_cmd_alive {
                let t = self.t;
                amzn(&mut self.cfn.buf, t, "INFO").s("command processing is alive.\n");
                self.next_cmd_alive += 5 * MIN + self.rng.range(0, 30_000_000) as i64;
                self.t += 1000;
            }
            if self.t >= self.next_cfn_alive {
                self.metadata_check();
                self.next_cfn_alive += 15 * MIN;
            }
            if self.t >= self.next_refresh {
                self.refresh_credentials();
                self.next_refresh += HOUR;
            }
        }
    }

    pub(crate) fn connection_error(&mut self) {
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "ERROR")
            .s("ConnectionError\n")
            .s(CONNECTION_RESET_TRACEBACK);
        let delay = self.rng.range(100_000, 2_999_999);
        amzn(v, t + 500_000, "DEBUG")
            .s("Sleeping for ")
            .n(delay / 1_000_000)
            .s(".")
            .z(delay % 1_000_000, 6)
            .s(" seconds before retrying\n");
        self.t += 500_000 + delay as i64;
    }

    pub(crate) fn metadata_check(&mut self) {
        let env = self.env;
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "INFO").s("cfn-hup processing is alive.\n");
        amzn(v, t + 1000, "DEBUG")
            .s("Describing resource AWSEBAutoScalingGroup in stack ")
            .s(&env.stack_name)
            .nl();
        self.t += 250_000 + self.rng.range(0, 100_000) as i64;
        let t = self.t;
        if self.rng.chance(0.08) {
            let v = &mut self.cfn.buf;
            amzn(v, t, "INFO").s(
                "Data has changed from previous state; action for app-config-refresh will be run\n",
            );
            amzn(v, t, "INFO").s("Running action for app-config-refresh\n");
            let t2 = t + self.rng.range(1_000_000, 4_000_000) as i64;
            amzn(v, t2, "DEBUG")
                .s("Action for app-config-refresh output: fetching s3://")
                .s(self.env.app)
                .s("-config/prod/app.env\nwrote /etc/")
                .s(self.env.app)
                .s("/app.env (")
                .n(self.rng.range(8, 40))
                .s(" keys)\nnginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\nReloading nginx: [  OK  ]\n\n");
            self.t = t2;
        } else {
            amzn(&mut self.cfn.buf, t, "DEBUG").s("No change in path Resources.AWSEBAutoScalingGroup.Metadata for hook app-config-refresh\n");
        }
    }

    pub(crate) fn new_ids(&mut self) -> CommandIds {
        CommandIds {
            event_handle: self.rng.uuid(),
            invocation: self.rng.uuid(),
            request: self.rng.uuid(),
            receipt: format!("AQEB{}==", self.rng.chars(300, B64)),
            expiration: ms_of(self.t) + self.rng.range(600_000, 1_800_000),
        }
    }

    /// The command JSON (`Data`), plain.
    pub(crate) fn data_json(ids: &CommandIds, command: &str, target: &str) -> String {
        let tail = if command == "CMD-TailLogs" {
            format!(r#""data":"{}""#, ids.request)
        } else {
            r#""execution_data":"{\"leader_election\":\"true\"}""#.to_string()
        };
        format!(
            r#"{{"api_version":"1.0","request_id":"{}","command_name":"{command}","resource_name":"AWSEBAutoScalingGroup","instance_ids":["{target}"],{tail}}}"#,
            ids.request
        )
    }

    /// cfn-hup's side of a command's start: the message, the dicts, the action start.
    pub(crate) fn cfn_receive(&mut self, ids: &CommandIds, data: &str) {
        let (env, inst) = (self.env, self.inst);
        let data_py = data.replace('\\', "\\\\");
        let msg = format!(
            "{{u'EventHandle': u'{}', u'DispatcherId': u'{}', u'CommandName': u'ElasticBeanstalkCommand-AWSEBAutoScalingGroup', u'Expiration': {}, u'ResultQueue': u'{}', u'Data': u'{}', u'InvocationId': u'{}'}}",
            ids.event_handle, env.stack_arn, ids.expiration, env.result_queue, data_py, ids.invocation
        );
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "DEBUG")
            .s("Receiving messages for queue ")
            .s(&inst.listener_queue)
            .nl();
        self.t += self.rng.range(1_000_000, 19_000_000) as i64;
        let t = self.t;
        amzn(v, t, "DEBUG").s("Processing message: ").s(&msg).nl();
        amzn(v, t, "DEBUG").s("Command message: ").s(&msg).nl();
        amzn(v, t, "INFO")
            .s("Received command ElasticBeanstalkCommand-AWSEBAutoScalingGroup (invocation id: ")
            .s(&ids.invocation)
            .s(")\n");
        let t = t + 8000;
        amzn(v, t, "INFO").s("Running action for aws-eb-command-handler\n");
        let c = &self.creds;
        // An instance whose cfn-hup an operator restarted from a login shell (every other
        // one) passes that shell's environment on: 36 keys and a long LS_COLORS.
        let shell_env = if inst.index % 2 == 1 {
            LOGIN_SHELL_ENV
        } else {
            ""
        };
        amzn(v, t, "DEBUG").s("Action environment: {'UPSTART_EVENTS': 'runlevel', 'PATH': '/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin', ").s(shell_env).s("'RESULT_QUEUE': u'")
            .s(&env.result_queue).s("', 'DISPATCHER_ID': u'").s(&env.stack_arn)
            .s("', 'LANG': 'en_US.UTF-8', 'TERM': 'linux', 'SHLVL': '1', 'LISTENER_ID': u'").s(&inst.id)
            .s("', 'PREVLEVEL': 'N', 'UPSTART_INSTANCE': '', 'INVOCATION_ID': u'").s(&ids.invocation)
            .s("', 'RESULT_ACCESS_KEY': u'").s(&c.akid)
            .s("', 'RESULT_SECRET_KEY': u'").s(&c.secret)
            .s("', 'RESULT_SESSION_TOKEN': u'").s(&c.token)
            .s("', 'CMD_DATA': u'").s(&data_py)
            .s("', 'UPSTART_JOB': 'cfn-hup', '_': '/opt/aws/bin/cfn-hup', 'STACK_NAME': '").s(&env.stack_name)
            .s("', 'PWD': '/', 'RUNLEVEL': '3', 'CMD_NAME': u'ElasticBeanstalkCommand-AWSEBAutoScalingGroup', 'EVENT_HANDLE': u'").s(&ids.event_handle)
            .s("'}\n");
        self.t = t + 400_000;
    }

    /// cfn-hup's side of a command's end. `output` is what the command processor printed
    /// (`None` when it died), `exit` its exit status.
    pub(crate) fn cfn_finish(
        &mut self,
        ids: &CommandIds,
        output: Option<&str>,
        exit: u32,
        message: Option<&str>,
    ) {
        let (env, inst) = (self.env, self.inst);
        self.tick(50, 400);
        let t = self.t;
        let v = &mut self.cfn.buf;
        match output {
            Some(out) => amzn(v, t, "DEBUG")
                .s("Action for aws-eb-command-handler output: ")
                .s(out)
                .nl(),
            None => amzn(v, t, "DEBUG").s("Action for aws-eb-command-handler output: <None>\n"),
        };
        let status = if exit == 0 {
            amzn(v, t, "INFO")
                .s("Action for aws-eb-command-handler succeeded, returning SUCCESS\n");
            "SUCCESS"
        } else {
            amzn(v, t, "WARNING")
                .s("Action for aws-eb-command-handler exited with ")
                .n(exit.into())
                .s(", returning FAILURE\n");
            "FAILURE"
        };
        let mut body = String::with_capacity(256);
        match (output, message) {
            (Some(out), _) => {
                body.push_str(r#", "Data": ""#);
                json_escape(&mut body, out);
            }
            (None, Some(msg)) => {
                body.push_str(r#", "Message": ""#);
                json_escape(&mut body, msg);
            }
            (None, None) => body.push_str(r#", "Message": ""#),
        }
        amzn(v, t + 1000, "DEBUG").s("Sending {\"Status\": \"").s(status).s("\", \"DispatcherId\": \"").s(&env.stack_arn)
            .s("\", \"ListenerId\": \"").s(&inst.id)
            .s("\", \"CommandName\": \"ElasticBeanstalkCommand-AWSEBAutoScalingGroup\", \"InvocationId\": \"").s(&ids.invocation)
            .s("\"").s(&body).s("\"} to queue ").s(&env.result_queue).nl();
        let t = t + self.rng.range(100_000, 250_000) as i64;
        amzn(v, t, "DEBUG")
            .s("Deleting ")
            .s(&ids.receipt)
            .s(" from queue ")
            .s(&inst.listener_queue)
            .nl();
        self.t = t + self.rng.range(900_000, 1_200_000) as i64;
        if self.rng.chance(0.04) {
            // The message comes back: SQS redelivery after the visibility timeout.
            let polls = self.rng.range(1, 12);
            self.idle(polls);
            let t = self.t;
            let v = &mut self.cfn.buf;
            amzn(v, t, "INFO")
                .s("Already ran ")
                .s(&env.stack_arn)
                .s("|ElasticBeanstalkCommand-AWSEBAutoScalingGroup|")
                .s(&ids.invocation)
                .s(", deleting\n");
            let receipt = format!("AQEB{}==", self.rng.chars(300, B64));
            amzn(v, t + 1000, "DEBUG")
                .s("Deleting ")
                .s(&receipt)
                .s(" from queue ")
                .s(&inst.listener_queue)
                .nl();
            self.t += 1_000_000;
        }
    }

    // --- eb-commandprocessor.log / eb-activity.log -----------------------------------
}

/// One link of a Ruby exception chain: first line as is, the others indented by two
/// spaces, the class after the last one.
pub(crate) fn chain_link(v: &mut Vec<u8>, lines: &[String], class: &str) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            v.s("  ");
        }
        v.s(line);
        if i + 1 == lines.len() {
            v.s(" (").s(class).s(")");
        }
        v.nl();
    }
}

pub(crate) const HTTP_500_BODY: &str =
    "HTTP Error 500 : <?xml version=\"1.0\" encoding=\"iso-8859-1\"?>
<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"
         \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">
<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">
 <head>
  <title>500 - Internal Server Error</title>
 </head>
 <body>
  <h1>500 - Internal Server Error</h1>
 </body>
</html>
";

pub(crate) const HTTP_500_TRACEBACK: &str = "Traceback (most recent call last):
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 162, in _retry
    return f(*args, **kwargs)
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 255, in get_instance_identity_signature
    resp.raise_for_status()
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/packages/requests/models.py\", line 840, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
HTTPError: 500 Server Error: Internal Server Error for url: http://169.254.169.254/latest/dynamic/instance-identity/signature
";

pub(crate) const CONNECTION_RESET_TRACEBACK: &str = "Traceback (most recent call last):
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 162, in _retry
    return f(*args, **kwargs)
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 234, in _timeout
    raise exc[0]
ConnectionError: ('Connection aborted.', error(104, 'Connection reset by peer'))
";

pub(crate) const ENOMEM_BACKTRACE: [&str; 8] = [
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/executor-1.2/lib/executor/exec.rb:86:in `popen'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/executor-1.2/lib/executor/exec.rb:86:in `exec'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/executor-1.2/lib/executor/exec.rb:64:in `sh'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/lib/elasticbeanstalk/cfn-wrapper.rb:104:in `call_cfn_script'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/lib/elasticbeanstalk/environment-metadata.rb:252:in `refresh_metadata'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/lib/elasticbeanstalk/command-processor.rb:136:in `load_command'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/bin/command-processor:47:in `<top (required)>'",
    "/opt/elasticbeanstalk/lib/ruby/bin/command-processor:23:in `<main>'",
];
