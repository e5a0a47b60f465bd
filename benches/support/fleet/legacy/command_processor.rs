//! eb-commandprocessor.log and eb-activity.log of a legacy instance: a command's
//! preamble, metadata, pre-init and hooks.

use super::*;

impl<'a> Legacy<'a> {
    pub(crate) fn cp(&mut self, level: &str, msg: &str) {
        let t = self.t;
        ruby(&mut self.cp.buf, t, level, self.pid).s(msg).nl();
    }

    pub(crate) fn act_start(&mut self, path: &str) {
        let t = self.t;
        act_hdr(&mut self.act.buf, t, self.pid, path).s("Starting activity...\n");
    }

    pub(crate) fn act_done(&mut self, path: &str, result: &[String]) {
        let t = self.t;
        let v = act_hdr(&mut self.act.buf, t, self.pid, path);
        if result.is_empty() {
            v.s("Completed activity.\n");
        } else {
            v.s("Completed activity. Result:\n");
            for line in result {
                v.s("  ").s(line).nl();
            }
        }
    }

    pub(crate) fn act_failed(&mut self, path: &str) {
        let t = self.t;
        act_hdr(&mut self.act.buf, t, self.pid, path).s("Activity failed.\n");
    }

    /// The command processor's start: checks, the command, metadata and manifest chatter.
    pub(crate) fn cp_preamble(&mut self, command: &str, payload: &str) {
        let inst = self.inst;
        self.cp(
            "DEBUG",
            "Reading config file: /etc/elasticbeanstalk/.aws-eb-stack.properties",
        );
        self.tick(1, 2);
        self.cp(
            "DEBUG",
            "Checking if the command processor should execute...",
        );
        self.tick(1, 4);
        self.cp(
            "DEBUG",
            &format!(
                "Checking whether the command is applicable to instance ({})..",
                inst.id
            ),
        );
        self.cp(
            "INFO ",
            &format!("Command is applicable to this instance ({})..", inst.id),
        );
        self.cp("DEBUG", "Checking if the received command stage is valid..");
        self.cp("INFO ", "No stage_num in command. Valid stage..");
        self.tick(0, 1);
        self.cp("INFO ", &format!("Received command {command}: {payload}"));
        self.cp("INFO ", "Command processor should execute command.");
        self.cp("DEBUG", "Storing current stage..");
        self.cp(
            "DEBUG",
            "Stage_num does not exist. Not saving null stage. Returning..",
        );
        self.tick(0, 1);
        self.cp(
            "DEBUG",
            "Reading config file: /etc/elasticbeanstalk/.aws-eb-stack.properties",
        );
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_ContainerConfigFileContent||commands..");
        self.tick(1, 3);
        self.addons();
        self.cp("DEBUG", "Refreshing metadata...");
        self.tick(600, 2400);
    }

    pub(crate) fn addons(&mut self) {
        self.cp(
            "DEBUG",
            "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_API||_Commands..",
        );
        self.cp(
            "INFO ",
            "Found enabled addons: [\"logpublish\", \"logstreaming\"].",
        );
        self.tick(2, 4);
        self.cp("INFO ", "Updating Command definition of addon logpublish.");
        self.cp(
            "INFO ",
            "Updating Command definition of addon logstreaming.",
        );
    }

    pub(crate) fn cp_metadata(&mut self, manifest: bool) {
        let env = self.env;
        self.cp("DEBUG", "Refreshed environment metadata.");
        self.cp(
            "INFO ",
            "Recreated directory /opt/elasticbeanstalk/deploy/configuration/.",
        );
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_AppSourceUrlFileContent||url..");
        self.tick(0, 1);
        self.cp("INFO ", "Created appsource url file at /opt/elasticbeanstalk/deploy/configuration/appsourceurl.");
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_ContainerConfigFileContent..");
        self.tick(2, 5);
        self.cp("INFO ", "Created container config file at /opt/elasticbeanstalk/deploy/configuration/containerconfiguration.");
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_ContainerConfigFileContent||commands..");
        self.tick(1, 3);
        self.addons();
        if manifest {
            self.cp(
                "DEBUG",
                "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||ManifestFileS3Key..",
            );
            self.tick(1, 3);
            let key = format!(
                "resources/environments/{}/_runtime/versions/manifest_{}",
                env.id,
                ms_of(self.t) - self.rng.range(20_000, 90_000)
            );
            self.cp(
                "INFO ",
                &format!(
                    "Loading manifest from bucket '{}' using specified S3 key '{key}'.",
                    env.bucket
                ),
            );
            self.tick(250, 500);
            self.cp(
                "INFO ",
                &format!(
                    "Updated manifest cache: deployment ID {} and serial {}.",
                    self.deploy_id, self.serial
                ),
            );
        }
    }

    pub(crate) fn next_pid(&mut self) {
        self.pid = (self.pid + self.rng.range(50, 4000)) % 32_000 + 300;
    }

    /// CMD-PreInit at first boot (run by ebbootstrap, not via cfn-hup).
    pub(crate) fn preinit(&mut self) {
        let env = self.env;
        self.cp_preamble(
            "CMD-PreInit",
            r#"{"api_version":"1.0","request_id":"0","command_name":"CMD-PreInit"}"#,
        );
        self.cp_metadata(false);
        self.cp(
            "DEBUG",
            "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||ManifestFileS3Key..",
        );
        self.tick(300, 500);
        let prefix = format!(
            "resources/environments/{}/_runtime/versions/manifest_",
            env.id
        );
        self.cp(
            "INFO ",
            &format!(
                "Finding latest manifest from bucket '{}' with prefix '{prefix}'.",
                env.bucket
            ),
        );
        self.tick(300, 400);
        self.cp(
            "INFO ",
            &format!(
                "Found manifest with key '{prefix}{}'.",
                ms_of(self.t) - 3_000_000_000
            ),
        );
        self.tick(30, 40);
        self.cp(
            "INFO ",
            &format!(
                "Updated manifest cache: deployment ID {} and serial {}.",
                self.deploy_id, self.serial
            ),
        );
        self.cp("DEBUG", "Loaded definition of Command CMD-PreInit.");
        self.cp("INFO ", "Executing Initialization");
        self.act_start("Initialization");
        self.cp("INFO ", "Executing command: CMD-PreInit...");
        self.cp("INFO ", "Executing command CMD-PreInit activities...");
        self.cp("DEBUG", "Setting environment variables..");
        self.cp("INFO ", "Running AddonsBefore for command CMD-PreInit...");
        self.act_start("Initialization/AddonsBefore");
        self.act_done("Initialization/AddonsBefore", &[]);
        self.cp(
            "DEBUG",
            "Running stages of Command CMD-PreInit from stage 0 to stage 0...",
        );
        self.cp("INFO ", "Running stage 0 of command CMD-PreInit...");
        self.act_start("Initialization/PreInitStage0");
        self.cp("DEBUG", "Loaded 2 actions for stage 0.");
        self.cp("INFO ", "Running 1 of 2 actions: DownloadSourceBundle...");
        let label = version_label(&mut self.rng, self.t - DAY);
        self.download_bundle("Initialization/PreInitStage0/DownloadSourceBundle", &label);
        self.cp("INFO ", "Running 2 of 2 actions: PreInitHook...");
        let hooks = vec![
            Hook {
                name: "10setup_user.sh".into(),
                dir: "preinit",
                lines: vec![
                    "+ id -u webapp".into(),
                    "+ useradd --system --shell /sbin/nologin --home-dir /var/app webapp".into(),
                    "+ install -d -o webapp -g webapp -m 0755 /var/log/app /var/run/app".into(),
                ],
            },
            Hook {
                name: "20nginx_conf.sh".into(),
                dir: "preinit",
                lines: vec![
                    "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok".into(),
                    "nginx: configuration file /etc/nginx/nginx.conf test is successful".into(),
                ],
            },
        ];
        self.run_hooks("Initialization/PreInitStage0/PreInitHook", &hooks, None);
        self.act_done(
            "Initialization/PreInitStage0",
            &["Initialization - Command CMD-PreInit stage 0 completed".into()],
        );
        self.cp("INFO ", "Running AddonsAfter for command CMD-PreInit...");
        self.act_start("Initialization/AddonsAfter");
        self.tick(0, 2);
        self.act_done("Initialization/AddonsAfter", &[]);
        self.cp("INFO ", "Command CMD-PreInit succeeded!");
        self.act_done(
            "Initialization",
            &["Initialization - Command CMD-PreInit succeeded".into()],
        );
        self.tick(0, 2);
        self.cp("INFO ", "Command processor returning results: ");
        self.cp.buf.s(&result_json(None, false)).nl();
    }

    pub(crate) fn download_bundle(&mut self, path: &str, label: &str) {
        let env = self.env;
        self.act_start(path);
        let child = self.pid + self.rng.range(5, 30);
        let mut lines = Vec::with_capacity(6);
        let mut line = |rng: &mut Rng, t: &mut i64, text: String| {
            let mut v = Vec::with_capacity(160);
            v.s("[");
            ts_iso_ms(&mut v, *t);
            v.s("] INFO  ");
            pid_field(&mut v, child);
            v.s(" : ").s(&text);
            lines.push(String::from_utf8(v).expect("ascii"));
            *t += rng.range(1000, 220_000) as i64;
        };
        let mut t = self.t + self.rng.range(300_000, 450_000) as i64;
        let rng = &mut self.rng;
        line(
            rng,
            &mut t,
            "Application version will be saved to /opt/elasticbeanstalk/deploy/appsource.".into(),
        );
        line(
            rng,
            &mut t,
            format!(
                "Using manifest cache with deployment ID {} and serial {}.",
                self.deploy_id, self.serial
            ),
        );
        line(rng, &mut t, "Attempting to download application source bundle to: '/opt/elasticbeanstalk/deploy/appsource/source_bundle'.".into());
        line(rng, &mut t, format!(
            "Downloading from bucket '{}' with key '{}/{label}.zip' and version '' to '/opt/elasticbeanstalk/deploy/appsource/source_bundle'.",
            env.bucket, env.app
        ));
        let size = rng.range(1_000_000, 9_000_000);
        let etag = rng.hex(32);
        line(
            rng,
            &mut t,
            format!("Size: {size}, ETag: \"{etag}\", Metadata: {{}}."),
        );
        line(
            rng,
            &mut t,
            "Successfully downloaded to '/opt/elasticbeanstalk/deploy/appsource/source_bundle'."
                .into(),
        );
        self.t = t + 4000;
        self.act_done(path, &lines);
    }

    /// Runs hooks of one directory; `fail` is the index of a hook that fails.
    /// Returns the failing hook's path and output.
    pub(crate) fn run_hooks(
        &mut self,
        path: &str,
        hooks: &[Hook],
        fail: Option<usize>,
    ) -> Option<(String, Vec<String>)> {
        self.act_start(path);
        for (i, hook) in hooks.iter().enumerate() {
            let p = format!("{path}/{}", hook.name);
            self.act_start(&p);
            self.tick(20, 3000);
            if fail == Some(i) {
                let t = self.t;
                let v = act_hdr(&mut self.act.buf, t, self.pid, &p);
                v.s("Activity execution failed, because: ");
                chain_link(v, &hook.lines, "ElasticBeanstalk::ExternalInvocationError");
                v.s("caused by: ");
                chain_link(v, &hook.lines, "Executor::NonZeroExitStatus");
                v.s("\n\n");
                self.act_failed(&p);
                self.act_failed(path);
                let hook_path = format!("/opt/elasticbeanstalk/hooks/{}/{}", hook.dir, hook.name);
                return Some((hook_path, hook.lines.clone()));
            }
            self.act_done(&p, &hook.lines);
        }
        let dir = hooks.first().map_or("appdeploy/pre", |h| h.dir);
        self.act_done(
            path,
            &[format!(
                "Successfully execute hooks in directory /opt/elasticbeanstalk/hooks/{dir}."
            )],
        );
        None
    }

    pub(crate) fn command(&mut self) {
        let roll = self.rng.below(100);
        self.idle(1);
        match roll {
            0..=69 => self.app_deploy(),
            70..=89 => self.tail_logs(),
            90..=96 => self.not_applicable(),
            _ => self.enomem(),
        }
    }

    pub(crate) fn pre_hooks(&mut self, fail: bool) -> (Vec<Hook>, Option<usize>) {
        let env = self.env;
        let rng = &mut self.rng;
        let files: Vec<String> = (0..rng.range(3, 18))
            .map(|_| {
                format!(
                    "    inflating: /tmp/deployment/application/{}  ",
                    rng.pick(&[
                        "package.json",
                        "server.js",
                        "app.py",
                        "requirements.txt",
                        "src/index.js",
                        "src/routes/orders.js",
                        "src/db.js",
                        "templates/base.html",
                        "static/app.css",
                        ".ebextensions/10-upload-dir.config",
                        "Procfile",
                        "config/settings.py",
                    ])
                )
            })
            .collect();
        let unzip = |name: &str| {
            let mut lines = vec![
                "+ unzip -o -d /tmp/deployment/application /opt/elasticbeanstalk/deploy/appsource/source_bundle".to_string(),
                "Archive:  /opt/elasticbeanstalk/deploy/appsource/source_bundle".to_string(),
            ];
            lines.extend(files.iter().cloned());
            Hook {
                name: name.into(),
                dir: "appdeploy/pre",
                lines,
            }
        };
        match env.runtime {
            Runtime::Node | Runtime::Java => {
                let pkg = *rng.pick(&[
                    "@northwind/ledger-core",
                    "express-session",
                    "pg",
                    "aws-sdk",
                    "lodash",
                ]);
                let install: Vec<String> = if fail {
                    let t = tm(self.t);
                    vec![
                        "+ /opt/elasticbeanstalk/containerfiles/ebnode.py --action npm-install".into(),
                        "Running npm install:  /opt/elasticbeanstalk/node-install/node-v10.15.3-linux-x64/bin/npm".into(),
                        "Running npm with --production flag".into(),
                        "npm ERR! code ETARGET".into(),
                        format!("npm ERR! notarget No matching version found for {pkg}@^{}.{}.0", rng.range(2, 9), rng.range(0, 9)),
                        String::new(),
                        "npm ERR! A complete log of this run can be found in:".into(),
                        format!("npm ERR!     /root/.npm/_logs/{}-{:02}-{:02}T{:02}_{:02}_{:02}_{}Z-debug.log", t.y, t.mo, t.d, t.h, t.mi, t.s, rng.range(100, 999)),
                        "Failed to run npm install. Snapshot logs for more details.".into(),
                        format!("UTC {}/{:02}/{:02} {:02}:{:02}:{:02} cannot find application npm debug log at /tmp/deployment/application/npm-debug.log", t.y, t.mo, t.d, t.h, t.mi, t.s),
                    ]
                } else {
                    let mut l = vec![
                        "+ /opt/elasticbeanstalk/containerfiles/ebnode.py --action npm-install".to_string(),
                        "Running npm install:  /opt/elasticbeanstalk/node-install/node-v10.15.3-linux-x64/bin/npm".into(),
                        "Running npm with --production flag".into(),
                        String::new(),
                    ];
                    for m in ["bcrypt@3.0.6", "sharp@0.23.4", "node-sass@4.13.1"]
                        .iter()
                        .take(rng.range(0, 3) as usize)
                    {
                        let name = m.split('@').next().unwrap_or(m);
                        l.push(format!(
                            "> {m} install /tmp/deployment/application/node_modules/{name}"
                        ));
                        l.push("> node-pre-gyp install --fallback-to-build".into());
                        l.push(String::new());
                        l.push(format!("[{name}] Success: \"/tmp/deployment/application/node_modules/{name}/lib/binding/{name}.node\" is installed via remote"));
                    }
                    l.push(format!(
                        "added {} packages from {} contributors and audited {} packages in {}.{}s",
                        rng.range(50, 900),
                        rng.range(40, 600),
                        rng.range(900, 3000),
                        rng.range(4, 60),
                        rng.range(100, 999)
                    ));
                    l.push(format!("found {} vulnerabilities", rng.range(0, 3)));
                    l.push(String::new());
                    l
                };
                let hooks = vec![
                    Hook {
                        name: "00clean_dir.sh".into(),
                        dir: "appdeploy/pre",
                        lines: vec![
                            "+ '[' -d /tmp/deployment/application ']'".into(),
                            "+ rm -rf /tmp/deployment/application".into(),
                            "+ mkdir -p /tmp/deployment/application".into(),
                        ],
                    },
                    unzip("01unzip.sh"),
                    Hook {
                        name: "40install_node.sh".into(),
                        dir: "appdeploy/pre",
                        lines: vec![
                            "+ /opt/elasticbeanstalk/containerfiles/ebnode.py --action node-install".into(),
                            "Node.js 10.15.3 is already installed in /opt/elasticbeanstalk/node-install/node-v10.15.3-linux-x64".into(),
                        ],
                    },
                    Hook { name: "50npm.sh".into(), dir: "appdeploy/pre", lines: install },
                ];
                (hooks, fail.then_some(3))
            }
            Runtime::Python => {
                let pkgs = [
                    "Django", "psycopg2", "celery", "requests", "boto3", "gunicorn", "redis",
                    "Pillow",
                ];
                let install: Vec<String> = if fail {
                    let p = *rng.pick(&pkgs);
                    let bad = format!(
                        "{p}=={}.{}.{}",
                        rng.range(1, 9),
                        rng.range(0, 30),
                        rng.range(50, 99)
                    );
                    vec![
                        "+ /opt/python/run/venv/bin/pip install -r /opt/python/ondeck/app/requirements.txt".into(),
                        format!("Collecting {bad} (from -r /opt/python/ondeck/app/requirements.txt (line {}))", rng.range(1, 30)),
                        format!("  Could not find a version that satisfies the requirement {bad} (from -r /opt/python/ondeck/app/requirements.txt (line 4)) (from versions: 1.0, 1.1, 2.0)"),
                        format!("No matching distribution found for {bad} (from -r /opt/python/ondeck/app/requirements.txt (line 4))"),
                        "You are using pip version 9.0.1, however version 19.1.1 is available.".into(),
                        "You should consider upgrading via the 'pip install --upgrade pip' command.".into(),
                        "2019-05-14 18:35:31,120 ERROR    Error installing dependencies: Command '/opt/python/run/venv/bin/pip install -r /opt/python/ondeck/app/requirements.txt' returned non-zero exit status 1".into(),
                        "Traceback (most recent call last):".into(),
                        "  File \"/opt/elasticbeanstalk/hooks/appdeploy/pre/03deploy.py\", line 22, in main".into(),
                        "    install_dependencies()".into(),
                        "  File \"/opt/elasticbeanstalk/hooks/appdeploy/pre/03deploy.py\", line 18, in install_dependencies".into(),
                        "    check_call('%s install -r %s' % (os.path.join(APP_VIRTUAL_ENV, 'bin', 'pip'), requirements_file), shell=True)".into(),
                        "  File \"/usr/lib64/python2.7/subprocess.py\", line 186, in check_call".into(),
                        "    raise CalledProcessError(retcode, cmd)".into(),
                        "CalledProcessError: Command '/opt/python/run/venv/bin/pip install -r /opt/python/ondeck/app/requirements.txt' returned non-zero exit status 1".into(),
                    ]
                } else {
                    let mut l = Vec::new();
                    let n = rng.range(2, 8) as usize;
                    for p in pkgs.iter().take(n) {
                        let ver = format!(
                            "{}.{}.{}",
                            rng.range(1, 5),
                            rng.range(0, 30),
                            rng.range(0, 9)
                        );
                        l.push(format!("Collecting {p}=={ver} (from -r /opt/python/ondeck/app/requirements.txt (line {}))", rng.range(1, 30)));
                        l.push(format!("  Downloading https://files.pythonhosted.org/packages/{}/{}/{}/{p}-{ver}-py2.py3-none-any.whl ({}kB)", rng.hex(2), rng.hex(2), rng.hex(60), rng.range(20, 9000)));
                    }
                    l.push(format!(
                        "Installing collected packages: {}",
                        pkgs[..n].join(", ")
                    ));
                    l.push(format!("Successfully installed {}", pkgs[..n].join(" ")));
                    l
                };
                let hooks = vec![
                    Hook {
                        name: "01new.py".into(),
                        dir: "appdeploy/pre",
                        lines: vec![],
                    },
                    unzip("02unzip.py"),
                    Hook {
                        name: "03deploy.py".into(),
                        dir: "appdeploy/pre",
                        lines: install,
                    },
                    Hook {
                        name: "04configen.py".into(),
                        dir: "appdeploy/pre",
                        lines: vec![],
                    },
                ];
                (hooks, fail.then_some(2))
            }
        }
    }
}
