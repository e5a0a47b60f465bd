//! A legacy instance's deploys, log tails and failures.

use super::*;

impl<'a> Legacy<'a> {
    pub(crate) fn app_deploy(&mut self) {
        let (env, inst) = (self.env, self.inst);
        let fail = self.rng.chance(0.22);
        let ids = self.new_ids();
        let data = Self::data_json(&ids, "CMD-AppDeploy", &inst.id);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        self.deploy_id += 1;
        self.serial += 1;
        let built = self.t - self.rng.range(20, 90) as i64 * SEC;
        let label = version_label(&mut self.rng, built);
        let payload = format!(
            r#"{{"api_version"=>"1.0", "request_id"=>"{}", "command_name"=>"CMD-AppDeploy", "resource_name"=>"AWSEBAutoScalingGroup", "instance_ids"=>["{}"], "execution_data"=>"{{\"leader_election\":\"true\"}}"}}"#,
            ids.request, inst.id
        );
        self.cp_preamble("CMD-AppDeploy", &payload);
        self.cp_metadata(true);
        self.cp("DEBUG", "Loaded definition of Command CMD-AppDeploy.");
        self.cp("INFO ", "Executing Application update");
        let top = format!("Application update {label}@{}", self.deploy_id);
        self.act_start(&top);
        self.cp("INFO ", "Executing command: CMD-AppDeploy...");
        self.cp("INFO ", "Executing command CMD-AppDeploy activities...");
        self.cp("DEBUG", "Setting environment variables..");
        self.cp("INFO ", "Running AddonsBefore for command CMD-AppDeploy...");
        let ab = format!("{top}/AddonsBefore");
        self.act_start(&ab);
        let cw = format!("{ab}/ConfigCWLAgent");
        self.act_start(&cw);
        self.act_start(&format!("{cw}/10-config.sh"));
        self.tick(200, 300);
        self.act_done(
            &format!("{cw}/10-config.sh"),
            &[
                "Found log streaming option: StreamLogs=false".into(),
                "Log streaming is not enabled for this environment, nothing to configure.".into(),
            ],
        );
        self.act_done(&cw, &["Successfully execute hooks in directory /opt/elasticbeanstalk/addons/logstreaming/hooks/config.".into()]);
        self.tick(1, 3);
        self.act_done(&ab, &[]);
        self.cp(
            "DEBUG",
            "Running stages of Command CMD-AppDeploy from stage 0 to stage 1...",
        );
        self.cp("INFO ", "Running stage 0 of command CMD-AppDeploy...");
        self.cp("INFO ", "Running leader election...");
        self.tick(400, 700);
        let leader = self.inst.index % 3 == 0 || self.rng.chance(0.3);
        self.cp(
            "INFO ",
            if leader {
                "Instance is Leader."
            } else {
                "Instance is not Leader."
            },
        );
        self.cp("DEBUG", "Loaded 6 actions for stage 0.");
        let s0 = format!("{top}/AppDeployStage0");
        self.act_start(&s0);
        self.cp("INFO ", "Running 1 of 6 actions: InfraWriteConfig...");
        self.act_start(&format!("{s0}/InfraWriteConfig"));
        self.tick(2, 6);
        self.act_done(&format!("{s0}/InfraWriteConfig"), &[]);
        self.cp("INFO ", "Running 2 of 6 actions: DownloadSourceBundle...");
        self.download_bundle(&format!("{s0}/DownloadSourceBundle"), &label);
        self.cp("INFO ", "Running 3 of 6 actions: EbExtensionPreBuild...");
        let pre = format!("{s0}/EbExtensionPreBuild");
        self.act_start(&pre);
        self.tick(500, 900);
        let infra = format!("{pre}/Infra-EmbeddedPreBuild");
        self.act_start(&infra);
        let cfg = format!("{infra}/prebuild_0_{}", env.app.replace('-', "_"));
        self.tick(3, 8);
        self.act_start(&cfg);
        self.tick(900, 2000);
        for cmd in ["Command 01_ensure_upload_dir", "Command 02_collect_static"]
            .iter()
            .take(self.rng.range(0, 2) as usize)
        {
            let p = format!("{cfg}/{cmd}");
            self.act_start(&p);
            self.tick(10, 400);
            self.act_done(&p, &[]);
        }
        self.act_done(&cfg, &[]);
        self.act_done(&infra, &[]);
        self.tick(500, 800);
        self.act_done(&pre, &[]);
        self.cp("INFO ", "Running 4 of 6 actions: AppDeployPreHook...");
        let (hooks, fail_at) = self.pre_hooks(fail);
        let failed = self.run_hooks(&format!("{s0}/AppDeployPreHook"), &hooks, fail_at);
        if let Some((hook_path, lines)) = failed {
            self.act_failed(&s0);
            self.tick(0, 2);
            self.act_done(
                &top,
                &["Application update - Command CMD-AppDeploy failed".into()],
            );
            let t = self.t;
            let pid = self.pid;
            let v = ruby(&mut self.cp.buf, t, "ERROR", pid);
            v.s("Command execution failed: Activity failed. (ElasticBeanstalk::ActivityFatalError)\ncaused by: ");
            chain_link(v, &lines, "ElasticBeanstalk::ExternalInvocationError");
            v.s("caused by: ");
            chain_link(v, &lines, "Executor::NonZeroExitStatus");
            v.s("\n\n");
            self.cp("ERROR", "Command CMD-AppDeploy failed!");
            self.tick(2, 6);
            let text = lines.join("\n");
            let tail_at = text.len().saturating_sub(self.rng.range(220, 420) as usize);
            let msg = format!(
                "(TRUNCATED)...{}. \nHook {hook_path} failed. For more detail, check /var/log/eb-activity.log using console or EB CLI",
                &text[tail_at..]
            );
            let ms = ms_of(self.t);
            let events = [
                (
                    lines
                        .iter()
                        .rev()
                        .find(|l| !l.is_empty())
                        .cloned()
                        .unwrap_or_default(),
                    ms / 1000,
                ),
                (format!("Hook {hook_path} failed."), ms),
            ];
            let result = result_json(Some((&msg, &events)), true);
            self.cp("INFO ", "Command processor returning results: ");
            self.cp.buf.s(&result).nl();
            self.cfn_finish(&ids, Some(&result), 0, None);
            return;
        }
        self.cp("INFO ", "Running 5 of 6 actions: EbExtensionPostBuild...");
        let post = format!("{s0}/EbExtensionPostBuild");
        self.act_start(&post);
        self.tick(500, 800);
        self.act_start(&format!("{post}/Infra-EmbeddedPostBuild"));
        self.act_done(&format!("{post}/Infra-EmbeddedPostBuild"), &[]);
        self.tick(20, 60);
        self.act_done(&post, &[]);
        self.cp("INFO ", "Running 6 of 6 actions: InfraCleanEbextension...");
        self.act_start(&format!("{s0}/InfraCleanEbextension"));
        self.tick(1, 3);
        self.act_done(
            &format!("{s0}/InfraCleanEbextension"),
            &["Cleaned ebextensions subdirectories from /tmp/deployment/application.".into()],
        );
        self.act_done(
            &s0,
            &["Application update - Command CMD-AppDeploy stage 0 completed".into()],
        );
        self.cp("INFO ", "Running stage 1 of command CMD-AppDeploy...");
        self.cp("DEBUG", "Loaded 2 actions for stage 1.");
        let s1 = format!("{top}/AppDeployStage1");
        self.act_start(&s1);
        self.cp("INFO ", "Running 1 of 2 actions: AppDeployEnactHook...");
        let enact = match env.runtime {
            Runtime::Python => vec![Hook {
                name: "01flip.py".into(),
                dir: "appdeploy/enact",
                lines: vec![
                    "httpd: stopped".into(),
                    "httpd: started".into(),
                    format!(
                        "httpd                            RUNNING   pid {}, uptime 0:00:0{}",
                        self.pid + 40,
                        self.rng.range(1, 9)
                    ),
                ],
            }],
            _ => vec![
                Hook {
                    name: "01flip.sh".into(),
                    dir: "appdeploy/enact",
                    lines: vec![
                        "+ rm -rf /var/app/current.prev".into(),
                        "+ '[' -d /var/app/current ']'".into(),
                        "+ mv /var/app/current /var/app/current.prev".into(),
                        "+ mv /tmp/deployment/application /var/app/current".into(),
                    ],
                },
                Hook {
                    name: "90restart_app.sh".into(),
                    dir: "appdeploy/enact",
                    lines: vec![
                        "+ initctl restart nodejs".into(),
                        format!("nodejs start/running, process {}", self.pid + 480),
                    ],
                },
            ],
        };
        self.run_hooks(&format!("{s1}/AppDeployEnactHook"), &enact, None);
        self.cp("INFO ", "Running 2 of 2 actions: AppDeployPostHook...");
        let postd = vec![Hook {
            name: "01_monitor_pids.sh".into(),
            dir: "appdeploy/post",
            lines: vec![
                "+ /opt/elasticbeanstalk/bin/healthd-track-pidfile --proxy nginx".into(),
                "+ /opt/elasticbeanstalk/bin/healthd-track-pidfile --name application --location /var/run/app/app.pid".into(),
            ],
        }];
        self.run_hooks(&format!("{s1}/AppDeployPostHook"), &postd, None);
        self.act_done(
            &s1,
            &["Application version switch - Command CMD-AppDeploy stage 1 completed".into()],
        );
        self.cp("INFO ", "Running AddonsAfter for command CMD-AppDeploy...");
        let aa = format!("{top}/AddonsAfter");
        self.act_start(&aa);
        let lr = format!("{aa}/ConfigLogRotation");
        self.act_start(&lr);
        self.act_start(&format!("{lr}/10-config.sh"));
        self.tick(100, 300);
        self.act_done(&format!("{lr}/10-config.sh"), &["Hourly log rotation to S3 is not enabled, leaving logrotate configuration unchanged.".into()]);
        self.act_done(&lr, &["Successfully execute hooks in directory /opt/elasticbeanstalk/addons/logpublish/hooks/config.".into()]);
        self.act_done(&aa, &[]);
        self.cp("INFO ", "Command CMD-AppDeploy succeeded!");
        self.act_done(
            &top,
            &["Application update - Command CMD-AppDeploy succeeded".into()],
        );
        self.tick(1, 3);
        self.cp("INFO ", "Command processor returning results: ");
        let result = result_json(None, false);
        self.cp.buf.s(&result).nl();
        self.cfn_finish(&ids, Some(&result), 0, None);
    }

    pub(crate) fn tail_logs(&mut self) {
        let inst = self.inst;
        let ids = self.new_ids();
        let data = Self::data_json(&ids, "CMD-TailLogs", &inst.id);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        let payload = format!(
            r#"{{"api_version"=>"1.0", "request_id"=>"{}", "command_name"=>"CMD-TailLogs", "resource_name"=>"AWSEBAutoScalingGroup", "instance_ids"=>["{}"], "data"=>"{}"}}"#,
            ids.request, inst.id, ids.request
        );
        self.cp_preamble("CMD-TailLogs", &payload);
        self.cp_metadata(false);
        self.cp("DEBUG", "Loaded definition of Command CMD-TailLogs.");
        self.cp("INFO ", "Executing CMD-TailLogs");
        self.act_start("CMD-TailLogs");
        self.cp("INFO ", "Executing command: CMD-TailLogs...");
        self.cp("INFO ", "Executing command CMD-TailLogs activities...");
        self.cp("DEBUG", "Setting environment variables..");
        self.cp("INFO ", "Running AddonsBefore for command CMD-TailLogs...");
        self.act_start("CMD-TailLogs/AddonsBefore");
        self.act_done("CMD-TailLogs/AddonsBefore", &[]);
        self.cp(
            "DEBUG",
            "Running stages of Command CMD-TailLogs from stage 0 to stage 0...",
        );
        self.cp("INFO ", "Running stage 0 of command CMD-TailLogs...");
        self.cp("DEBUG", "Loaded 1 actions for stage 0.");
        self.act_start("CMD-TailLogs/TailLogs");
        self.cp("INFO ", "Running 1 of 1 actions: TailLogs...");
        self.act_start("CMD-TailLogs/TailLogs/TailLogs");
        self.tick(300, 1500);
        let files: Vec<String> = [
            "/var/log/eb-activity.log",
            "/var/log/nginx/error.log",
            "/var/log/eb-commandprocessor.log",
            "/var/log/nodejs/nodejs.log",
            "/var/log/httpd/error_log",
            "/var/log/eb-version-deployment.log",
        ]
        .iter()
        .map(|f| format!("Tailing {f}"))
        .collect();
        self.act_done("CMD-TailLogs/TailLogs/TailLogs", &files);
        self.act_done(
            "CMD-TailLogs/TailLogs",
            &["CMD-TailLogs - stage 0 - Command CMD-TailLogs stage 0 completed".into()],
        );
        self.cp("INFO ", "Running AddonsAfter for command CMD-TailLogs...");
        self.act_start("CMD-TailLogs/AddonsAfter");
        self.act_done("CMD-TailLogs/AddonsAfter", &[]);
        self.cp("INFO ", "Command CMD-TailLogs succeeded!");
        self.act_done(
            "CMD-TailLogs",
            &["CMD-TailLogs - Command CMD-TailLogs succeeded".into()],
        );
        self.cp("INFO ", "Command processor returning results: ");
        let result = result_json(None, false);
        self.cp.buf.s(&result).nl();
        self.cfn_finish(&ids, Some(&result), 0, None);
    }

    /// A command aimed at another instance of the environment.
    pub(crate) fn not_applicable(&mut self) {
        let inst = self.inst;
        let ids = self.new_ids();
        let other = format!("i-0{}", self.rng.hex(16));
        let data = Self::data_json(&ids, "CMD-TailLogs", &other);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        self.cp(
            "DEBUG",
            "Reading config file: /etc/elasticbeanstalk/.aws-eb-stack.properties",
        );
        self.cp(
            "DEBUG",
            "Checking if the command processor should execute...",
        );
        self.tick(1, 3);
        self.cp(
            "DEBUG",
            &format!(
                "Checking whether the command is applicable to instance ({})..",
                inst.id
            ),
        );
        self.cp(
            "INFO ",
            &format!(
                "Command should not be executed on this instance ({}).",
                inst.id
            ),
        );
        self.cp("WARN ", "Command processor shouldn't execute command.");
        let out = r#"{"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","msg":"Ignoring not applicable command. For more detail, check /var/log/eb-activity.log using console or EB CLI","returncode":0,"events":[]}]}"#;
        self.cfn_finish(&ids, Some(out), 0, None);
    }

    /// The Ruby process dies (no memory): a backtrace, no result; cfn-hup sends stderr.
    pub(crate) fn enomem(&mut self) {
        let (env, inst) = (self.env, self.inst);
        let ids = self.new_ids();
        let data = Self::data_json(&ids, "CMD-TailLogs", &inst.id);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        let payload = format!(
            r#"{{"api_version"=>"1.0", "request_id"=>"{}", "command_name"=>"CMD-TailLogs", "resource_name"=>"AWSEBAutoScalingGroup", "instance_ids"=>["{}"], "data"=>"{}"}}"#,
            ids.request, inst.id, ids.request
        );
        self.cp_preamble("CMD-TailLogs", &payload);
        let head = format!(
            "Cannot allocate memory - /opt/aws/bin/cfn-get-metadata --region='{}' --stack='{}' --resource='AWSEBAutoScalingGroup' (Errno::ENOMEM)",
            env.region, env.stack_name
        );
        let t = self.t;
        let pid = self.pid;
        let v = ruby(&mut self.cp.buf, t, "ERROR", pid);
        v.s(&head).nl();
        for (i, frame) in ENOMEM_BACKTRACE.iter().enumerate() {
            v.s(if i == 0 { "\tat " } else { "\tfrom " }).s(frame).nl();
        }
        v.s("\n\n");
        let mut msg = format!(
            "{}:in `popen': {head}",
            ENOMEM_BACKTRACE[0].split(":in").next().unwrap_or("")
        );
        for frame in &ENOMEM_BACKTRACE[1..] {
            msg.push_str("\n\tfrom ");
            msg.push_str(frame);
        }
        if msg.len() > 1003 {
            msg = format!("{}...{}", &msg[..500], &msg[msg.len() - 500..]);
        }
        self.cfn_finish(&ids, None, 1, Some(&msg));
    }
}
