//! An AL2 instance's deploys: engine steps, hooks, dependency installs, commands.

use super::*;

impl<'a> Modern<'a> {
    /// An eb-cfn-init.log script message: `[ts] text`.
    pub(crate) fn script(&mut self, msg: &str) {
        let t = self.t;
        let v = &mut self.ebcfn.buf;
        v.s("[");
        ts_iso_ms(v, t);
        v.s("] ").s(msg).nl();
    }

    pub(crate) fn engine_start(&mut self, ebcmd: &str) {
        let env = self.env;
        self.eng("INFO", "Starting...");
        self.eng("INFO", "Starting EBPlatform-PlatformEngine");
        self.eng("INFO", "reading event message file");
        self.tick(0, 1);
        self.eng("INFO", &format!("Engine received EB command {ebcmd}\n"));
        self.tick(70, 100);
        for res in ["AWSEBAutoScalingGroup", "AWSEBBeanstalkMetadata"] {
            self.run_cmd(&format!(
                "/opt/aws/bin/cfn-get-metadata -s {} -r {res} --region {}",
                env.stack_arn, env.region
            ));
            self.tick(330, 420);
        }
    }

    pub(crate) fn download(&mut self, manifest: bool) {
        let env = self.env;
        self.eng("INFO", "Downloading EB Application...");
        self.eng("INFO", &format!("Region: {}", env.region));
        self.eng("INFO", &format!("envID: {}", env.id));
        self.eng("INFO", &format!("envBucket: {}", env.bucket));
        if manifest {
            self.eng("INFO", "Using manifest file name from command request");
            let key = format!(
                "resources/environments/{}/_runtime/versions/manifest_{}",
                env.id,
                ms_of(self.t) - self.rng.range(30_000, 90_000)
            );
            if self.rng.chance(0.4) {
                self.eng("INFO", "Unable to get version manifest file.");
                self.eng("INFO", "Downloading latest manifest available.");
                self.eng("INFO", "Download latest app version manifest");
                self.eng(
                    "INFO",
                    &format!(
                        "resources/environments/{}/_runtime/versions/manifest",
                        env.id
                    ),
                );
                self.tick(30, 60);
                self.eng("INFO", &format!("latestManifest key *: {key}\n"));
            }
            self.eng(
                "INFO",
                &format!("Downloading: bucket: {}, object: /{key}", env.bucket),
            );
            self.tick(10, 20);
            self.eng("INFO", "Download successful148bytes downloaded");
            self.eng("INFO", "Trying to read and parse version manifest...");
        }
        let built = self.t - self.rng.range(40, 200) as i64 * SEC;
        let label = version_label(&mut self.rng, built);
        self.eng("INFO", &format!("Downloading: bucket: {}, object: /resources/environments/{}/_runtime/_versions/{}/{label}", env.bucket, env.id, env.app));
        self.tick(40, 400);
        let size = if env.runtime == Runtime::Java {
            self.rng.range(10_000_000, 40_000_000)
        } else {
            self.rng.range(30_000, 900_000)
        };
        self.eng(
            "INFO",
            &format!("Download successful{size}bytes downloaded"),
        );
    }

    /// The deploy instructions shared by env-launch and app-deploy. `fail` names the step
    /// that fails; returns whether the deploy failed.
    pub(crate) fn deploy_steps(&mut self, fail: Option<Failure>) -> bool {
        let env = self.env;
        let configsets_fail = fail == Some(Failure::EbExtension);
        self.instruction("PreBuildEbExtension");
        self.eng(
            "INFO",
            "Starting executing the config set Infra-EmbeddedPreBuild.",
        );
        self.run_cmd(&format!("/opt/aws/bin/cfn-init -s {} -r AWSEBAutoScalingGroup --region {} --configsets Infra-EmbeddedPreBuild", env.stack_arn, env.region));
        let cfg = format!("prebuild_0_{}", env.app.replace('-', "_"));
        self.cfn_init_build("Infra-EmbeddedPreBuild", &cfg, true, configsets_fail);
        if configsets_fail {
            self.eng("ERROR", "An error occurred during execution of command [app-deploy] - [PreBuildEbExtension]. Stop running the command. Error: EbExtension build failed. Please refer to /var/log/cfn-init.log for more details. \n");
            return true;
        }
        self.eng(
            "INFO",
            "Finished executing the config set Infra-EmbeddedPreBuild.\n",
        );
        self.instruction("StageApplication");
        self.eng(
            "INFO",
            "extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/",
        );
        self.run_cmd("/usr/bin/unzip -q -o /opt/elasticbeanstalk/deployment/app_source_bundle -d /var/app/staging/");
        self.tick(10, 400);
        self.eng("INFO", "finished extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/ successfully");
        self.instruction("RunAppDeployPreBuildHooks");
        if !self.hooks(
            "prebuild",
            &["01_install.sh"],
            fail == Some(Failure::PrebuildHook),
        ) {
            return true;
        }
        if !self.install_dependencies(fail == Some(Failure::Dependencies)) {
            return true;
        }
        self.instruction("PostBuildEbExtension");
        self.eng(
            "INFO",
            "Starting executing the config set Infra-EmbeddedPostBuild.",
        );
        self.run_cmd(&format!("/opt/aws/bin/cfn-init -s {} -r AWSEBAutoScalingGroup --region {} --configsets Infra-EmbeddedPostBuild", env.stack_arn, env.region));
        let cfg = format!("postbuild_0_{}", env.app.replace('-', "_"));
        self.cfn_init_build("Infra-EmbeddedPostBuild", &cfg, false, false);
        self.eng(
            "INFO",
            "Finished executing the config set Infra-EmbeddedPostBuild.\n",
        );
        self.instruction("CleanEbExtensions");
        self.eng(
            "INFO",
            "Cleaned ebextensions subdirectories from app staging directory.",
        );
        self.instruction("RunAppDeployPreDeployHooks");
        self.hooks("predeploy", &["01_migrate.sh"], false);
        self.instruction("stop X-Ray");
        self.eng("INFO", "stop X-Ray ...");
        self.tick(5, 10);
        self.eng(
            "WARN",
            "stopProcess Warning: process xray is not registered ",
        );
        self.instruction("stop proxy");
        self.run_cmd("systemctl show -p PartOf httpd.service");
        self.tick(5, 10);
        self.eng(
            "WARN",
            "deregisterProcess Warning: process httpd is not registered, skipping...\n",
        );
        self.run_cmd("systemctl stop nginx.service");
        self.tick(30, 60);
        self.instruction("FlipApplication");
        self.eng("INFO", "Fetching environment variables...");
        self.eng("INFO", "setting default port 8080 to application");
        self.eng("INFO", "Register application processes...");
        self.eng("INFO", "Registering the proc: web\n");
        self.tick(50, 150);
        self.run_cmd("systemctl restart web.service");
        self.tick(500, 1500);
        self.app_restart();
        self.instruction("start proxy with new configuration");
        self.run_cmd("systemctl start nginx.service");
        self.tick(50, 150);
        for step in ["configureSqsd", "startSqsd"] {
            self.instruction(step);
            let verb = if step == "configureSqsd" {
                "configure"
            } else {
                "start"
            };
            self.eng(
                "INFO",
                &format!("This is a web server environment instance, skip {verb} sqsd daemon ..."),
            );
        }
        self.instruction("Track pids in healthd");
        self.eng("INFO", "This is an enhanced health env...");
        self.run_cmd("systemctl show -p ConsistsOf eb-app.target | cut -d= -f2");
        self.tick(5, 15);
        self.eng("INFO", "web.service\n");
        self.instruction("RunAppDeployPostDeployHooks");
        self.hooks("postdeploy", &["01_warm_cache.sh"], false);
        false
    }

    /// Platform hooks of one phase; false when one failed (the error is logged).
    pub(crate) fn hooks(&mut self, phase: &str, names: &[&str], fail: bool) -> bool {
        self.eng(
            "INFO",
            &format!("Executing platform hooks in .platform/hooks/{phase}/"),
        );
        if self.rng.chance(0.3) && !fail {
            self.eng(
                "INFO",
                &format!("The dir .platform/hooks/{phase}/ does not exist"),
            );
            self.eng(
                "INFO",
                &format!("Finished running scripts in /var/app/staging/.platform/hooks/{phase}"),
            );
            return true;
        }
        self.eng(
            "INFO",
            &format!(
                "Following platform hooks will be executed in order: [{}]",
                names.join(" ")
            ),
        );
        for name in names {
            self.eng(
                "INFO",
                &format!("Running platform hook: .platform/hooks/{phase}/{name}"),
            );
            self.tick(1000, 20_000);
            if fail {
                let var =
                    *self
                        .rng
                        .pick(&["ORDERS_DB_URL", "REDIS_URL", "SECRET_KEY_BASE", "QUEUE_URL"]);
                let t = self.t;
                engine(&mut self.engine.buf, t, "ERROR")
                    .s("An error occurred during execution of command [app-deploy] - [RunAppDeployPreBuildHooks]. Stop running the command. Error: Command .platform/hooks/")
                    .s(phase).s("/").s(name)
                    .s(" failed with error exit status 1. Stderr:Traceback (most recent call last):\n  File \"scripts/check_settings.py\", line 9, in <module>\n    db_url = os.environ[\"")
                    .s(var)
                    .s("\"]\n  File \"/usr/lib64/python3.8/os.py\", line 675, in __getitem__\n    raise KeyError(key) from None\nKeyError: '")
                    .s(var)
                    .s("'\n \n\n");
                return false;
            }
        }
        self.eng(
            "INFO",
            &format!("Finished running the platform hooks in .platform/hooks/{phase}/"),
        );
        true
    }

    pub(crate) fn install_dependencies(&mut self, fail: bool) -> bool {
        let env = self.env;
        let rng = &mut self.rng;
        let (instruction, cmd, lines): (&str, String, Vec<String>) = match env.runtime {
            Runtime::Java => ("Java Specific Build Application", String::new(), vec![]),
            Runtime::Python => {
                let pkgs = [
                    "Flask",
                    "gunicorn",
                    "psycopg2",
                    "SQLAlchemy",
                    "alembic",
                    "boto3",
                    "botocore",
                    "requests",
                    "urllib3",
                    "Jinja2",
                    "itsdangerous",
                    "Werkzeug",
                    "click",
                    "redis",
                    "celery",
                ];
                let n = rng.range(3, pkgs.len() as u64) as usize;
                let mut lines = Vec::with_capacity(3 * n + 2);
                let mut vers = Vec::with_capacity(n);
                for p in &pkgs[..n] {
                    let ver = format!(
                        "{}.{}.{}",
                        rng.range(0, 5),
                        rng.range(0, 30),
                        rng.range(0, 12)
                    );
                    lines.push(format!("Collecting {p}=={ver}"));
                    lines.push(format!(
                        "  Downloading {p}-{ver}-py3-none-any.whl ({} kB)",
                        rng.range(20, 900)
                    ));
                    if rng.chance(0.3) {
                        lines.push(format!("Requirement already satisfied: setuptools in ./{}/lib/python3.8/site-packages (from {p}=={ver}) (57.0.0)", "venv"));
                    }
                    vers.push(format!("{p}-{ver}"));
                }
                if fail {
                    let bad = format!(
                        "{}=={}.{}.{}",
                        pkgs[n - 1],
                        rng.range(5, 9),
                        rng.range(0, 9),
                        rng.range(50, 99)
                    );
                    lines.push(format!("ERROR: Could not find a version that satisfies the requirement {bad} (from versions: 0.1, 0.2, 1.0)"));
                    lines.push(format!("ERROR: No matching distribution found for {bad}"));
                } else {
                    lines.push(format!(
                        "Installing collected packages: {}",
                        pkgs[..n].join(", ")
                    ));
                    lines.push(format!("Successfully installed {}", vers.join(" ")));
                }
                (
                    "InstallDependency",
                    format!(
                        "/var/app/venv/{}/bin/pip install -r requirements.txt",
                        self.venv
                    ),
                    lines,
                )
            }
            Runtime::Node => {
                let mut lines = vec![
                    String::new(),
                    format!(
                        "> {}@{}.{}.0 postinstall /var/app/staging",
                        env.app,
                        rng.range(1, 4),
                        rng.range(0, 20)
                    ),
                    "> node scripts/postinstall.js".into(),
                    String::new(),
                ];
                for _ in 0..rng.range(0, 6) {
                    lines.push(format!(
                        "npm WARN deprecated {}@{}.{}.{}: this library is no longer supported",
                        rng.pick(&["request", "uuid", "har-validator", "querystring", "core-js"]),
                        rng.range(1, 4),
                        rng.range(0, 9),
                        rng.range(0, 9)
                    ));
                }
                if fail {
                    lines.push("npm ERR! code ERESOLVE".into());
                    lines.push("npm ERR! ERESOLVE unable to resolve dependency tree".into());
                    lines.push("npm ERR! Could not resolve dependency:".into());
                    lines.push(format!(
                        "npm ERR! peer react@\"^{}.0.0\" from react-dom@{}.2.0",
                        rng.range(16, 18),
                        rng.range(16, 18)
                    ));
                } else {
                    lines.push(format!(
                        "added {} packages, and audited {} packages in {}s",
                        rng.range(100, 900),
                        rng.range(100, 900),
                        rng.range(3, 40)
                    ));
                    lines.push(String::new());
                    lines.push(format!(
                        "{} packages are looking for funding",
                        rng.range(10, 120)
                    ));
                    lines.push("  run `npm fund` for details".into());
                    lines.push(String::new());
                    lines.push("found 0 vulnerabilities".into());
                }
                (
                    "InstallDependency",
                    "npm --production install".into(),
                    lines,
                )
            }
        };
        self.instruction(instruction);
        if cmd.is_empty() {
            self.tick(100, 400);
            return true;
        }
        self.run_cmd(&cmd);
        self.tick(2000, 30_000);
        let t = self.t;
        let v = engine(&mut self.engine.buf, t, if fail { "ERROR" } else { "INFO" });
        if fail {
            v.s("An error occurred during execution of command [app-deploy] - [")
                .s(instruction)
                .s("]. Stop running the command. Error: fail to install dependencies with ")
                .s(&cmd)
                .s(" with error: Command /bin/sh -c ")
                .s(&cmd)
                .s(" failed with error exit status 1. Stderr:");
        }
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                v.nl();
            }
            v.s(l);
        }
        v.s("\n\n");
        !fail
    }

    pub(crate) fn command(&mut self) {
        let roll = self.rng.below(100);
        self.tick(1000, 60_000);
        self.engine_start("cfn-hup-exec");
        let cmd = if roll < 85 { "app-deploy" } else { "tail-log" };
        self.eng(
            "INFO",
            &format!("checking whether command {cmd} is applicable to this instance..."),
        );
        self.eng(
            "INFO",
            "this command is applicable to the instance, thus instance should execute command",
        );
        self.eng("INFO", &format!("Engine command: ({cmd})\n"));
        if cmd == "tail-log" {
            self.instruction("GetTailLogs");
            self.eng("INFO", "Tail Logs...");
            for f in [
                "/var/log/nginx/error.log",
                "/var/log/eb-engine.log",
                "/var/log/web.stdout.log",
                "/var/log/nginx/access.log",
                "/var/log/eb-hooks.log",
            ] {
                self.tick(1, 3);
                self.run_cmd(&format!("tail -n 100 {f}"));
            }
            self.eng("INFO", "Executing cleanup logic");
            self.response(false);
            self.eng(
                "INFO",
                "Platform Engine finished execution on command: tail-log\n",
            );
            return;
        }
        self.download(true);
        self.instruction("ElectLeader");
        let (env, inst) = (self.env, self.inst);
        self.eng(
            "INFO",
            &format!("Running leader election for instance {}...", inst.id),
        );
        self.eng(
            "INFO",
            "Calling the cfn-elect-cmd-leader to elect the command leader.",
        );
        let inv = self.rng.uuid();
        self.run_cmd(&format!(
            "/opt/aws/bin/cfn-elect-cmd-leader --stack {} --command-name ElasticBeanstalkCommand-AWSEBAutoScalingGroup --invocation-id {inv} --listener-id {} --region {}",
            env.stack_arn, inst.id, env.region
        ));
        self.tick(300, 500);
        self.eng(
            "INFO",
            if inst.index % 2 == 0 {
                "Instance is Leader."
            } else {
                "Instance is NOT Leader."
            },
        );
        self.instruction("stopSqsd");
        self.eng(
            "INFO",
            "This is a web server environment instance, skip stop sqsd daemon ...",
        );
        let fail = match self.rng.below(100) {
            0..=7 => Some(Failure::PrebuildHook),
            8..=13 => Some(Failure::EbExtension),
            14..=19 if env.runtime != Runtime::Java => Some(Failure::Dependencies),
            _ => None,
        };
        let failed = self.deploy_steps(fail);
        self.eng("INFO", "Executing cleanup logic");
        self.response(failed);
        self.eng(
            "INFO",
            "Platform Engine finished execution on command: app-deploy\n",
        );
    }

    pub(crate) fn response(&mut self, failed: bool) {
        let ms = ms_of(self.t);
        let ts = if self.env.event_secs { ms / 1000 } else { ms };
        let t = self.t;
        let v = engine(&mut self.engine.buf, t, "INFO");
        if failed {
            v.s(r#"CommandService Response: {"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","msg":"Engine execution has encountered an error.","returncode":1,"events":[{"msg":"Instance deployment failed. For details, see 'eb-engine.log'.","timestamp":"#)
                .n(ts)
                .s(r#","severity":"ERROR"}]}]}"#);
        } else {
            v.s(r#"CommandService Response: {"status":"SUCCESS","api_version":"1.0","results":[{"status":"SUCCESS","msg":"Engine execution has succeeded.","returncode":0,"events":[{"msg":"Instance deployment completed successfully.","timestamp":"#)
                .n(ts)
                .s(r#","severity":"INFO"}]}]}"#);
        }
        v.s("\n\n");
    }

    // --- web tier -------------------------------------------------------------------
}
