//! Amazon Linux 2 / 2023 instances: the engine's timeline here; deploys in `deploy`,
//! cfn-init builds in `cfn_init`, the web tier in `web`.

mod cfn_init;
mod deploy;
mod web;

use super::*;

// ---------------------------------------------------------------------------------------
// AL2 / AL2023 instances
// ---------------------------------------------------------------------------------------

/// Share of an AL2 instance's bytes that the deploy logs (engine, cfn-init family) hold.
pub(crate) const DEPLOY_SHARE: f64 = 0.3;

pub(crate) fn engine<'v>(v: &'v mut Vec<u8>, t: i64, level: &str) -> &'v mut Vec<u8> {
    ts_engine(v, t);
    v.s(" [").s(level).s("] ")
}

pub(crate) fn cmd_hdr<'v>(v: &'v mut Vec<u8>, t: i64, pid: u64, level: &str) -> &'v mut Vec<u8> {
    ts_py(v, t);
    v.s(" P").n(pid).s(" [").s(level).s("] ")
}

pub(crate) struct Route {
    method: &'static str,
    path: &'static str,
    id: bool,
    query: &'static str,
    status: u64,
    size: (u64, u64),
    ms: (u64, u64),
    referer: &'static str,
}

pub(crate) const ROUTES: [Route; 12] = [
    Route {
        method: "GET",
        path: "/api/orders",
        id: false,
        query: "?status=open",
        status: 200,
        size: (900, 6000),
        ms: (20, 180),
        referer: "/dashboard",
    },
    Route {
        method: "GET",
        path: "/api/orders/",
        id: true,
        query: "",
        status: 200,
        size: (300, 1200),
        ms: (8, 60),
        referer: "/dashboard",
    },
    Route {
        method: "POST",
        path: "/api/orders",
        id: false,
        query: "",
        status: 201,
        size: (200, 600),
        ms: (60, 400),
        referer: "/checkout",
    },
    Route {
        method: "GET",
        path: "/api/customers/me",
        id: false,
        query: "",
        status: 200,
        size: (300, 800),
        ms: (5, 40),
        referer: "/account",
    },
    Route {
        method: "GET",
        path: "/api/items",
        id: false,
        query: "?page=2&per_page=50",
        status: 200,
        size: (4000, 30000),
        ms: (30, 300),
        referer: "/catalog",
    },
    Route {
        method: "GET",
        path: "/api/items/",
        id: true,
        query: "",
        status: 200,
        size: (500, 3000),
        ms: (5, 50),
        referer: "/catalog",
    },
    Route {
        method: "PUT",
        path: "/api/cart/",
        id: true,
        query: "",
        status: 200,
        size: (100, 400),
        ms: (10, 90),
        referer: "/cart",
    },
    Route {
        method: "GET",
        path: "/static/app.js",
        id: false,
        query: "",
        status: 200,
        size: (80000, 240000),
        ms: (1, 5),
        referer: "/",
    },
    Route {
        method: "GET",
        path: "/static/app.css",
        id: false,
        query: "",
        status: 200,
        size: (20000, 60000),
        ms: (1, 4),
        referer: "/",
    },
    Route {
        method: "POST",
        path: "/api/orders/import",
        id: false,
        query: "",
        status: 201,
        size: (60, 120),
        ms: (800, 3000),
        referer: "",
    },
    Route {
        method: "GET",
        path: "/api/reports/monthly",
        id: false,
        query: "?month=2022-08",
        status: 200,
        size: (8000, 40000),
        ms: (300, 4000),
        referer: "/reports",
    },
    Route {
        method: "GET",
        path: "/favicon.ico",
        id: false,
        query: "",
        status: 200,
        size: (1150, 1150),
        ms: (1, 2),
        referer: "/",
    },
];

pub(crate) const AGENTS: [&str; 6] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Safari/605.1.15",
    "python-requests/2.28.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:106.0) Gecko/20100101 Firefox/106.0",
    "okhttp/4.10.0",
];

pub(crate) struct Modern<'a> {
    env: &'a Env,
    inst: &'a Inst,
    host: String,
    rng: Rng,
    t: i64,
    stats: Stats,
    engine: LogFile,
    cfninit: LogFile,
    cmdlog: LogFile,
    ebcfn: LogFile,
    access: LogFile,
    error: LogFile,
    daemon: LogFile,
    web: LogFile,
    healthd: Option<(i64, LogFile)>,
    healthd_closed: u64,
    app_pid: u64,
    healthd_pid: u64,
    workers: [u64; 2],
    conn: u64,
    cfn_pid: u64,
    rate: u64,
    clients: Vec<String>,
    next_job: i64,
    venv: String,
}

impl<'a> Modern<'a> {
    pub(crate) fn new(env: &'a Env, inst: &'a Inst) -> Self {
        let mut rng = Rng::new(inst.seed);
        let dir = &inst.dir;
        let mut engine = LogFile::new("eb-engine.log", dir.join("eb-engine.log"));
        if rng.chance(0.6) {
            let at =
                (inst.budget as f64 * DEPLOY_SHARE * 0.7 * rng.range(25, 45) as f64 / 100.0) as u64;
            engine = engine.rotating(dir.join("eb-engine.log.1.gz"), at);
        }
        let clients = (0..rng.range(5, 40))
            .map(|_| {
                let (a, b, c) = *rng.pick(&[(203, 0, 113), (198, 51, 100), (192, 0, 2)]);
                format!("{a}.{b}.{c}.{}", rng.range(1, 254))
            })
            .collect();
        let nginx = rng.range(2800, 3200);
        Modern {
            host: inst.host(),
            t: inst.start,
            engine,
            cfninit: LogFile::new("cfn-init.log", dir.join("cfn-init.log")),
            cmdlog: LogFile::new("cfn-init-cmd.log", dir.join("cfn-init-cmd.log")),
            ebcfn: LogFile::new("eb-cfn-init.log", dir.join("eb-cfn-init.log")),
            access: LogFile::new("nginx/access.log", dir.join("nginx/access.log")),
            error: LogFile::new("nginx/error.log", dir.join("nginx/error.log")),
            daemon: LogFile::new("healthd/daemon.log", dir.join("healthd/daemon.log")),
            web: LogFile::new("web.stdout.log", dir.join("web.stdout.log")),
            healthd: None,
            healthd_closed: 0,
            app_pid: rng.range(3300, 3500),
            healthd_pid: rng.range(3050, 3150),
            workers: [nginx + 2, nginx + 3],
            conn: rng.range(1, 100),
            cfn_pid: rng.range(2500, 2600),
            rate: rng.range(4, 30),
            venv: format!(
                "staging-{}",
                rng.chars(
                    8,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                )
            ),
            next_job: inst.start + 5 * MIN,
            stats: Stats::default(),
            clients,
            rng,
            env,
            inst,
        }
    }

    pub(crate) fn deploy_bytes(&self) -> u64 {
        self.engine.len() + self.cfninit.len() + self.cmdlog.len() + self.ebcfn.len()
    }

    pub(crate) fn total(&self) -> u64 {
        self.deploy_bytes()
            + self.access.len()
            + self.error.len()
            + self.daemon.len()
            + self.web.len()
            + self.healthd_closed
            + self.healthd.as_ref().map_or(0, |(_, f)| f.len())
    }

    pub(crate) fn tick(&mut self, lo_ms: u64, hi_ms: u64) {
        self.t += self.rng.range(lo_ms * 1000, hi_ms * 1000) as i64;
    }

    pub(crate) fn run(mut self) -> io::Result<Stats> {
        self.boot();
        while self.total() < self.inst.budget {
            if (self.deploy_bytes() as f64) < DEPLOY_SHARE * self.total() as f64 {
                self.command();
            } else {
                let minutes = self.rng.range(5, 50);
                for _ in 0..minutes {
                    self.traffic_minute()?;
                    self.pace();
                    if self.total() >= self.inst.budget {
                        break;
                    }
                }
            }
            self.boundaries()?;
            self.pace();
        }
        let mut stats = std::mem::take(&mut self.stats);
        for f in [
            self.engine,
            self.cfninit,
            self.cmdlog,
            self.ebcfn,
            self.access,
            self.error,
            self.daemon,
            self.web,
        ] {
            f.finish(&mut stats)?;
        }
        if let Some((_, f)) = self.healthd {
            f.finish(&mut stats)?;
        }
        Ok(stats)
    }

    /// With a span asked for, a quiet time until the clock is as far into the span as
    /// the bytes are into the budget (the periodic jobs resume after it).
    pub(crate) fn pace(&mut self) {
        if let Some(at) = self.inst.paced_clock(self.total()) {
            if at > self.t {
                self.t = at;
                self.next_job = self.next_job.max(at);
            }
        }
    }

    pub(crate) fn boundaries(&mut self) -> io::Result<()> {
        let st = &mut self.stats;
        self.engine.boundary(st)?;
        self.cfninit.boundary(st)?;
        self.cmdlog.boundary(st)?;
        self.ebcfn.boundary(st)?;
        self.access.boundary(st)?;
        self.error.boundary(st)?;
        self.daemon.boundary(st)?;
        self.web.boundary(st)?;
        if let Some((_, f)) = &mut self.healthd {
            f.boundary(st)?;
        }
        Ok(())
    }

    pub(crate) fn eng(&mut self, level: &str, msg: &str) {
        self.t += self.rng.range(2, 90) as i64;
        let t = self.t;
        engine(&mut self.engine.buf, t, level).s(msg).nl();
    }

    pub(crate) fn run_cmd(&mut self, cmd: &str) {
        self.t += self.rng.range(5, 40) as i64;
        let t = self.t;
        let prefix = self.env.run_cmd_prefix();
        engine(&mut self.engine.buf, t, "INFO")
            .s(prefix)
            .s(cmd)
            .nl();
    }

    pub(crate) fn instruction(&mut self, name: &str) {
        self.tick(0, 1);
        self.eng("INFO", &format!("Executing instruction: {name}"));
    }

    // --- boot ---------------------------------------------------------------------------

    pub(crate) fn boot(&mut self) {
        let env = self.env;
        let region = env.region;
        let signal_url = format!(
            "https://cloudformation-waitcondition-{region}.s3.{region}.amazonaws.com/arn%3Aaws%3Acloudformation%3A{region}%3A{}%3Astack/{}/{}/AWSEBInstanceLaunchWaitHandle?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={}&X-Amz-SignedHeaders=host&X-Amz-Expires=86399&X-Amz-Credential=AKIA2EBLOGFAKE{}%2F{}%2F{region}%2Fs3%2Faws4_request&X-Amz-Signature={}",
            env.account,
            env.stack_name,
            env.stack_arn.rsplit('/').next().unwrap_or(""),
            {
                let t = tm(env.start);
                format!("{}{:02}{:02}T{:02}{:02}{:02}Z", t.y, t.mo, t.d, t.h, t.mi, t.s)
            },
            self.rng.chars(6, UPPER32),
            {
                let t = tm(env.start);
                format!("{}{:02}{:02}", t.y, t.mo, t.d)
            },
            self.rng.hex(64)
        );
        let assets = format!(
            "https://elasticbeanstalk-platform-assets-{region}.s3.amazonaws.com/stalks/{}",
            env.stalk
        );
        let t = self.t;
        let v = &mut self.ebcfn.buf;
        v.s("[");
        let tt = tm(t);
        ymd(v, &tt, "-");
        v.s("T");
        hms(v, &tt);
        v.s("Z] Started EB User Data\n+ SLEEP_TIME=2\n+ SLEEP_TIME_MAX=3600\n+ true\n+ curl ")
            .s(&assets)
            .s("/lib/UserDataScript.sh\n");
        v.s("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\n  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n100  4627  100  4627    0     0  79775      0 --:--:-- --:--:-- --:--:-- 79775\n");
        v.s("+ RESULT=0\n+ [[ 0 -ne 0 ]]\n+ /bin/bash /tmp/ebbootstrap.sh '")
            .s(&signal_url)
            .s("' ")
            .s(&env.stack_arn)
            .s(" ")
            .s(&env.healthd_group)
            .s(" https://elasticbeanstalk-health.")
            .s(region)
            .s(".amazonaws.com '' ")
            .s(&assets)
            .s(" ")
            .s(region)
            .nl();
        self.t += 700_000;
        let msgs: Vec<String> = vec![
            "Started EB Bootstrapping Script.".into(),
            format!(
                "Received parameters:\n TARBALLS = \n EB_GEMS = \n SIGNAL_URL = {signal_url}\n STACK_ID = {}\n REGION = {region}\n GUID = \n HEALTHD_GROUP_ID = {}\n HEALTHD_ENDPOINT = https://elasticbeanstalk-health.{region}.amazonaws.com\n PROXY_SERVER = \n HEALTHD_PROXY_LOG_LOCATION = \n PLATFORM_ASSETS_URL = {assets}",
                env.stack_arn, env.healthd_group
            ),
            format!("engine url is set to {assets}/lib/platform-engine.zip"),
            "first init of instance.".into(),
            "Started executing cfn_init _OnInstanceBoot.".into(),
            "Running cfn-init ConfigSet: _OnInstanceBoot.".into(),
            "Using stack-id from userdata".into(),
        ];
        for m in &msgs {
            self.script(m);
            self.tick(5, 40);
        }
        // cfn-init's own boot build, and its command log.
        let boot_start = self.cfninit.buf.len();
        self.cfn_init_build("_OnInstanceBoot", "AWSEBBaseConfig", false, false);
        let boot_text = String::from_utf8_lossy(&self.cfninit.buf[boot_start..]).into_owned();
        self.script("Command Returned: ");
        self.script("Completed executing cfn_init.");
        self.script("finished _OnInstanceBoot");
        self.tick(100, 900);
        let t = self.t;
        let v = &mut self.ebcfn.buf;
        let tt = tm(t);
        v.s("--");
        ymd(v, &tt, "-");
        v.s(" ");
        hms(v, &tt);
        v.s("--  ").s(&assets).s("/lib/platform-engine.zip\n");
        v.s("Resolving elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com (elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com)... 52.218.229.33\n");
        v.s("Connecting to elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com (elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com)|52.218.229.33|:443... connected.\n");
        v.s("HTTP request sent, awaiting response... 200 OK\nLength: 8617493 (8.2M) [application/zip]\nSaving to: '/tmp/platform-engine.zip'\n\n");
        v.s("     0K .......... .......... .......... .......... ..........  0% 31.2M 0s\n    50K .......... .......... .......... .......... ..........  1% 48.5M 0s\n  8400K .......... ......                                  100% 96.1M=0.1s\n\n");
        ymd(v, &tt, "-");
        v.s(" ");
        hms(v, &tt);
        v.s(" (84.7 MB/s) - '/tmp/platform-engine.zip' saved [8617493/8617493]\n\nArchive:  /tmp/platform-engine.zip\n  inflating: /opt/elasticbeanstalk/bin/platform-engine  \n  inflating: /opt/elasticbeanstalk/bin/get-config  \n  inflating: /opt/elasticbeanstalk/bin/restart-app-server  \n");
        self.tick(1000, 3000);
        // nginx and healthd start with the instance; the app starts in FlipApplication.
        let t = self.t;
        let w = self.workers[0] - 2;
        let v = &mut self.error.buf;
        ts_nginx_err(v, t);
        v.s(" [warn] ").n(w).s("#").n(w).s(": could not build optimal types_hash, you should increase either types_hash_max_size: 1024 or types_hash_bucket_size: 64; ignoring types_hash_bucket_size\n");
        let hp = self.healthd_pid;
        let v = &mut self.daemon.buf;
        v.s("# Logfile created on ");
        ts_plain(v, t);
        v.s(" +0000 by logger.rb/v1.4.2\n");
        let hd = |v: &mut Vec<u8>, t: i64, sev: &str, prog: &str| {
            v.s(&sev[..1]).s(", [");
            ts_ruby6(v, t);
            v.s(" #").n(hp).s("] ");
            if sev.len() < 5 {
                v.s(" ");
            }
            v.s(sev).s(" -- ").s(prog).s(": ");
        };
        hd(v, t + 10_000, "INFO", "");
        v.s("healthd 1.0.6 starting\n");
        hd(v, t + 12_000, "INFO", "");
        v.s("configuration: group_id=")
            .s(&env.healthd_group)
            .s(", endpoint=https://elasticbeanstalk-health.")
            .s(region)
            .s(".amazonaws.com\n");
        hd(v, t + 90_000, "INFO", "appstat");
        v.s("reading /var/log/nginx/healthd/application.log (proxy: nginx, timestamp: completion, unit: sec)\n");
        hd(v, t + 92_000, "INFO", "system");
        v.s("tracking pid file /var/pids/nginx.pid\n");
        hd(v, t + 93_000, "INFO", "system");
        v.s("tracking pid file /var/pids/web.pid\n");
        hd(v, t + 20 * SEC, "INFO", "");
        v.s("published first batch of health data (seq 1)\n");
        // The engine's first run: env-launch with the first deploy.
        self.engine_start("userdata-exec");
        self.eng("INFO", "This is a workflow controlled instance.");
        self.eng("INFO", "Engine command: (env-launch)\n");
        self.instruction("SyncClock");
        self.eng("INFO", "Starting SyncClock");
        self.tick(5, 15);
        self.run_cmd("chronyc -a makestep");
        self.tick(3, 10);
        self.eng("INFO", "200 OK\n");
        self.download(false);
        self.deploy_steps(None);
        self.instruction("SetupPublishLogCronjob");
        self.eng("INFO", "Setup publish logs cron job...");
        self.eng("INFO", "Copying file /opt/elasticbeanstalk/config/private/logtasks/cron/publishlogs to /etc/cron.d/publishlogs");
        self.instruction("MarkBootstrapped");
        self.eng("INFO", "Starting MarkBootstrapped");
        self.eng("INFO", "Instance has NOT been bootstrapped");
        self.eng("INFO", "Marked instance as Bootstrapped");
        self.instruction("Save CFN Stack Info");
        self.eng("INFO", "Starting SwitchCFNStack");
        self.eng("INFO", "Executing cleanup logic");
        self.eng(
            "INFO",
            "Platform Engine finished execution on command: env-launch\n",
        );
        // Bootstrap script ends: signal, then the tails of the logs it knows.
        self.tick(500, 5000);
        self.script("Successfully bootstrapped instance.");
        self.script(&format!(
            "Sending signal 0 to CFN wait condition {signal_url}"
        ));
        self.tick(300, 700);
        for name in [
            "eb-commandprocessor",
            "eb-activity",
            "eb-tools",
            "eb-version-deployment",
            "cfn-init",
            "cfn-hup",
        ] {
            self.script(&format!("Tailing /var/log/{name}.log"));
            let v = &mut self.ebcfn.buf;
            v.s("\n******************* ")
                .s(name)
                .s(" taillog *******************\n");
            if name == "cfn-init" {
                v.s(&boot_text);
            } else {
                v.s("***").s(name).s(" is not available yet.***\n");
            }
            v.s("******************* End of taillog *******************\n\n\n");
            self.tick(5, 10);
        }
        self.script("Completed EB Bootstrapping Script.");
        self.ebcfn.buf.s("+ RESULT=0\n+ [[ 0 -ne 0 ]]\n+ exit 0\n");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    PrebuildHook,
    EbExtension,
    Dependencies,
}

pub(crate) const YUM_OUTPUT: [&str; 17] = [
    "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd",
    "Resolving Dependencies",
    "--> Running transaction check",
    "--> Finished Dependency Resolution",
    "",
    "Dependencies Resolved",
    "",
    "================================================================================",
    " Package                Arch        Version                 Repository     Size",
    "================================================================================",
    "Installing:",
    "",
    "Transaction Summary",
    "================================================================================",
    "Downloading packages:",
    "Running transaction check",
    "Running transaction",
];

pub(crate) const CFN_INIT_TRACEBACK_SHORT: &str = "Traceback (most recent call last):
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 576, in run_config
    CloudFormationCarpenter(config, self._auth_config, self.strict_mode).build(worklog)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 276, in build
    changes['commands'] = CommandTool().apply(self._config.commands)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/command_tool.py\", line 127, in apply
    raise ToolError(u\"Command %s failed\" % name)
cfnbootstrap.construction_errors.ToolError: Command ";

pub(crate) const CFN_INIT_TRACEBACK_LONG: &str = "Traceback (most recent call last):
  File \"/opt/aws/bin/cfn-init\", line 176, in <module>
    worklog.build(metadata, configSets, strict_mode)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 137, in build
    Contractor(metadata, strict_mode).build(configSets, self)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 564, in build
    self.run_config(config, worklog)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 576, in run_config
    CloudFormationCarpenter(config, self._auth_config, self.strict_mode).build(worklog)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 276, in build
    changes['commands'] = CommandTool().apply(self._config.commands)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/command_tool.py\", line 127, in apply
    raise ToolError(u\"Command %s failed\" % name)
cfnbootstrap.construction_errors.ToolError: Command ";

pub(crate) const HEALTHD_BACKTRACE: &str =
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/protocol.rb:217:in `rbuf_fill'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/protocol.rb:191:in `readuntil'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/protocol.rb:201:in `readline'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/http/response.rb:42:in `read_status_line'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/http.rb:1528:in `transport_request'
";

pub(crate) const NODE_CRASH: [&str; 16] = [
    "/var/app/current/src/jobs/reconcile.js:31",
    "const total = batch.items.reduce((sum, item) => sum + item.amountCents, 0);",
    "^",
    "TypeError: Cannot read properties of undefined (reading 'reduce')",
    "at summarize (/var/app/current/src/jobs/reconcile.js:31:35)",
    "at Array.map (<anonymous>)",
    "at Timeout.runReconcile [as _onTimeout] (/var/app/current/src/jobs/reconcile.js:58:30)",
    "at listOnTimeout (node:internal/timers:559:17)",
    "at processTimers (node:internal/timers:502:7)",
    "Node.js v16.17.0",
    "npm ERR! code 1",
    "npm ERR! path /var/app/current",
    "npm ERR! command failed",
    "npm ERR! command sh -c node server.js",
    "npm ERR! A complete log of this run can be found in:",
    "npm ERR!     /home/webapp/.npm/_logs/debug-0.log",
];

pub(crate) const PY_CRASH: [&str; 9] = [
    "Traceback (most recent call last):",
    "  File \"/var/app/venv/lib/python3.8/site-packages/gunicorn/arbiter.py\", line 589, in spawn_worker",
    "    worker.init_process()",
    "  File \"/var/app/venv/lib/python3.8/site-packages/gunicorn/workers/gthread.py\", line 92, in init_process",
    "    super().init_process()",
    "  File \"/var/app/current/application.py\", line 41, in <module>",
    "    db = create_engine(os.environ[\"DATABASE_URL\"], pool_size=20)",
    "  File \"/usr/lib64/python3.8/os.py\", line 675, in __getitem__",
    "KeyError: 'DATABASE_URL'",
];

pub(crate) const JAVA_CRASH: [&str; 8] = [
    "java.lang.OutOfMemoryError: Java heap space",
    "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
    "\tat java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)",
    "\tat java.base/java.lang.StringBuilder.append(StringBuilder.java:179)",
    "\tat com.example.app.reports.MonthlyReport.render(MonthlyReport.java:88)",
    "\tat com.example.app.web.ReportController.monthly(ReportController.java:41)",
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "\t... 48 common frames omitted",
];
