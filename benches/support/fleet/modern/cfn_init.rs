//! The cfn-init family of an AL2 deploy: cfn-init.log, cfn-init-cmd.log, eb-cfn-init.log.

use super::*;

impl<'a> Modern<'a> {
    /// One cfn-init build: cfn-init.log and the matching cfn-init-cmd.log blocks.
    pub(crate) fn cfn_init_build(
        &mut self,
        configset: &str,
        config: &str,
        packages: bool,
        fail: bool,
    ) {
        let env = self.env;
        self.cfn_pid += self.rng.range(100, 900);
        let pid = self.cfn_pid;
        self.tick(100, 300);
        let mut t = self.t;
        let c = &mut self.cfninit.buf;
        let k = &mut self.cmdlog.buf;
        let rng = &mut self.rng;
        macro_rules! step {
            ($rng:expr, $lo:expr, $hi:expr) => {{
                t += $rng.range($lo, $hi) as i64;
                t
            }};
        }
        if configset != "_OnInstanceBoot" {
            amzn(c, t, "DEBUG")
                .s("CloudFormation client initialized with endpoint https://cloudformation.")
                .s(env.region)
                .s(".amazonaws.com\n");
            amzn(c, step!(rng, 500, 2000), "DEBUG")
                .s("Describing resource AWSEBAutoScalingGroup in stack ")
                .s(&env.stack_arn)
                .nl();
        }
        amzn(c, step!(rng, 100_000, 200_000), "INFO")
            .s("-----------------------Starting build-----------------------\n");
        amzn(c, step!(rng, 5000, 9000), "INFO")
            .s("Running configSets: ")
            .s(configset)
            .nl();
        amzn(c, step!(rng, 2000, 3000), "INFO")
            .s("Running configSet ")
            .s(configset)
            .nl();
        cmd_hdr(k, t, pid, "INFO")
            .s("************************************************************\n");
        cmd_hdr(k, t, pid, "INFO").s("ConfigSet ").s(configset).nl();
        amzn(c, step!(rng, 2000, 3000), "INFO")
            .s("Running config ")
            .s(config)
            .nl();
        cmd_hdr(k, t, pid, "INFO")
            .s("++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\n");
        cmd_hdr(k, t, pid, "INFO").s("Config ").s(config).nl();
        if configset == "_OnInstanceBoot" {
            for name in ["clearbackupfiles", "writeinstancemetadata"] {
                let t0 = step!(rng, 400_000, 10_000_000);
                cmd_hdr(k, t0, pid, "INFO")
                    .s("============================================================\n");
                cmd_hdr(k, t0, pid, "INFO").s("Command ").s(name).nl();
                let t1 = step!(rng, 10_000, 800_000);
                cmd_hdr(k, t1, pid, "INFO").s("Completed successfully.\n");
                amzn(c, t1 + 1000, "INFO")
                    .s("Command ")
                    .s(name)
                    .s(" succeeded\n");
            }
        } else if packages {
            let pk = [
                "postgresql-devel",
                "jq",
                "gcc",
                "libxml2-devel",
                "ImageMagick",
            ];
            let n = rng.range(1, 4) as usize;
            let list = pk[..n]
                .iter()
                .map(|p| format!("'{p}'"))
                .collect::<Vec<_>>()
                .join(", ");
            if rng.chance(0.5) {
                amzn(c, step!(rng, 1_000_000, 5_000_000), "DEBUG")
                    .s("Installing/updating [")
                    .s(&list)
                    .s("] via yum\n");
                let t0 = t;
                cmd_hdr(k, t0, pid, "INFO")
                    .s("============================================================\n");
                cmd_hdr(k, t0, pid, "INFO")
                    .s("yum install ")
                    .s(&pk[..n].join(" "))
                    .nl();
                let t1 = step!(rng, 5_000_000, 20_000_000);
                cmd_hdr(k, t1, pid, "INFO")
                    .s("-----------------------Command Output-----------------------\n");
                for line in YUM_OUTPUT {
                    cmd_hdr(k, t1, pid, "INFO").s("\t").s(line).nl();
                }
                for (i, p) in pk[..n].iter().enumerate() {
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("\t  Installing : ")
                        .s(p)
                        .s("-1.5-1.amzn2.0.2.x86_64                        ")
                        .n(i as u64 + 1)
                        .s("/")
                        .n(n as u64)
                        .nl();
                }
                for (i, p) in pk[..n].iter().enumerate() {
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("\t  Verifying  : ")
                        .s(p)
                        .s("-1.5-1.amzn2.0.2.x86_64                        ")
                        .n(i as u64 + 1)
                        .s("/")
                        .n(n as u64)
                        .nl();
                }
                cmd_hdr(k, t1, pid, "INFO").s("\t\n");
                cmd_hdr(k, t1, pid, "INFO").s("\tComplete!\n");
                cmd_hdr(k, t1, pid, "INFO")
                    .s("------------------------------------------------------------\n");
                cmd_hdr(k, t1, pid, "INFO").s("Completed successfully.\n");
                amzn(c, t1 + 2000, "INFO")
                    .s("Yum installed [")
                    .s(&list)
                    .s("]\n");
            } else {
                for p in &pk[..n] {
                    amzn(c, step!(rng, 300_000, 600_000), "DEBUG")
                        .s(p)
                        .s(" will not be installed as it is already present\n");
                }
                amzn(c, step!(rng, 1000, 3000), "DEBUG")
                    .s("All yum packages were already installed\n");
            }
        } else {
            amzn(c, step!(rng, 500, 1500), "DEBUG").s("No packages specified\n");
        }
        if configset != "_OnInstanceBoot" {
            for what in ["groups", "users", "sources"] {
                amzn(c, step!(rng, 300, 1200), "DEBUG")
                    .s("No ")
                    .s(what)
                    .s(" specified\n");
            }
            if packages {
                let app = env.app;
                amzn(c, step!(rng, 1000, 2000), "DEBUG")
                    .s("Writing content to /etc/")
                    .s(app)
                    .s("/settings.env\n");
                amzn(c, step!(rng, 1000, 2000), "DEBUG")
                    .s("Setting mode for /etc/")
                    .s(app)
                    .s("/settings.env to 000640\n");
                amzn(c, step!(rng, 1000, 2000), "DEBUG")
                    .s("Setting owner 0 and group 0 for /etc/")
                    .s(app)
                    .s("/settings.env\n");
            } else {
                amzn(c, step!(rng, 300, 1200), "DEBUG").s("No files specified\n");
            }
            let cmds: &[(&str, &str)] = if packages {
                &[
                    ("01_mkdir_logs", "mkdir -p /var/log/app"),
                    ("02_migrate", "python manage.py migrate"),
                ]
            } else {
                &[
                    (
                        "01_collectstatic",
                        "python manage.py collectstatic --noinput",
                    ),
                    ("02_chown_media", "chown -R webapp /var/app/staging/media"),
                ]
            };
            for (i, (name, shell)) in cmds.iter().enumerate() {
                let fails = fail && i + 1 == cmds.len();
                let t0 = step!(rng, 1000, 3000);
                amzn(c, t0, "DEBUG").s("Running command ").s(name).nl();
                amzn(c, t0, "DEBUG").s("No test for command ").s(name).nl();
                cmd_hdr(k, t0, pid, "INFO")
                    .s("============================================================\n");
                cmd_hdr(k, t0, pid, "INFO").s("Command ").s(name).nl();
                let t1 = step!(rng, 10_000, 3_000_000);
                let output: Vec<String> = if fails {
                    vec![
                        "  File \"manage.py\", line 17".into(),
                        "    ) from exc".into(),
                        "         ^".into(),
                        "SyntaxError: invalid syntax".into(),
                    ]
                } else if *name == "01_collectstatic" {
                    vec![
                        String::new(),
                        format!(
                            "{} static files copied to '/var/app/staging/static'.",
                            rng.range(20, 400)
                        ),
                    ]
                } else if *name == "02_migrate" {
                    let mut l = vec![
                        "Operations to perform:".to_string(),
                        "  Apply all migrations: admin, auth, contenttypes, orders, sessions"
                            .into(),
                        "Running migrations:".into(),
                    ];
                    for m in 0..rng.range(0, 4) {
                        l.push(format!(
                            "  Applying orders.{:04}_auto_{}... OK",
                            40 + m,
                            rng.digits(8)
                        ));
                    }
                    l
                } else {
                    vec![]
                };
                if !output.is_empty() {
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("-----------------------Command Output-----------------------\n");
                    for l in &output {
                        cmd_hdr(k, t1, pid, "INFO").s("\t").s(l).nl();
                    }
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("------------------------------------------------------------\n");
                }
                if fails {
                    cmd_hdr(k, t1, pid, "ERROR").s("Exited with error code 1\n");
                    amzn(c, t1 + 1000, "ERROR")
                        .s("Command ")
                        .s(name)
                        .s(" (")
                        .s(shell)
                        .s(") failed\n");
                    amzn(c, t1 + 2000, "DEBUG")
                        .s("Command ")
                        .s(name)
                        .s(" output: ")
                        .s(&output.join("\n"))
                        .s("\n\n");
                    amzn(c, t1 + 4000, "ERROR")
                        .s("Error encountered during build of ")
                        .s(config)
                        .s(": Command ")
                        .s(name)
                        .s(" failed\n")
                        .s(CFN_INIT_TRACEBACK_SHORT)
                        .s(name)
                        .s(" failed\n");
                    amzn(c, t1 + 5000, "ERROR")
                        .s("-----------------------BUILD FAILED!------------------------\n");
                    amzn(c, t1 + 6000, "ERROR")
                        .s("Unhandled exception during build: Command ")
                        .s(name)
                        .s(" failed\n")
                        .s(CFN_INIT_TRACEBACK_LONG)
                        .s(name)
                        .s(" failed\n");
                    self.t = t1 + 10_000;
                    return;
                }
                cmd_hdr(k, t1, pid, "INFO").s("Completed successfully.\n");
                amzn(c, t1 + 1000, "INFO")
                    .s("Command ")
                    .s(name)
                    .s(" succeeded\n");
                amzn(c, t1 + 2000, "DEBUG")
                    .s("Command ")
                    .s(name)
                    .s(" output: ")
                    .s(&output.join("\n"))
                    .nl();
                if !output.is_empty() {
                    c.nl();
                }
            }
            amzn(c, step!(rng, 1000, 2000), "DEBUG").s("No services specified\n");
        }
        amzn(c, step!(rng, 2000, 4000), "INFO").s("ConfigSets completed\n");
        amzn(c, step!(rng, 1000, 2000), "INFO")
            .s("-----------------------Build complete-----------------------\n");
        self.t = t + 300_000;
    }
}
