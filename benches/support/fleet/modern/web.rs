//! The web tier of an AL2 instance: nginx, healthd and the application's output.

use super::*;

impl<'a> Modern<'a> {
    pub(crate) fn web_line(&mut self, t: i64) -> &mut Vec<u8> {
        let v = &mut self.web.buf;
        ts_syslog(v, t);
        v.s(" ").s(&self.host).s(" web: ")
    }

    pub(crate) fn app_log(&mut self, t: i64, level: &str, msg: &str) {
        let runtime = self.env.runtime;
        let pid = self.app_pid;
        let v = self.web_line(t);
        match runtime {
            Runtime::Node => {
                v.s("[");
                ts_iso_ms(v, t);
                v.s("] ").s(level).s(": ").s(msg).nl();
            }
            Runtime::Python => {
                v.s("[");
                ts_plain(v, t);
                v.s(" +0000] [")
                    .n(pid)
                    .s("] [")
                    .s(&level.to_ascii_uppercase())
                    .s("] ")
                    .s(msg)
                    .nl();
            }
            Runtime::Java => {
                ts_plain(v, t);
                v.s(".")
                    .z((t % SEC / 1000) as u64, 3)
                    .s("  ")
                    .s(&level.to_ascii_uppercase())
                    .s(" ")
                    .n(pid)
                    .s(" --- [nio-8080-exec-")
                    .n(t as u64 % 10 + 1)
                    .s("] c.e.app.web.RequestLogger           : ")
                    .s(msg)
                    .nl();
            }
        }
    }

    pub(crate) fn app_start(&mut self) {
        let env = self.env;
        let t = self.t;
        match env.runtime {
            Runtime::Node => {
                self.web_line(t).s("> ").s(env.app).s("@2.14.0 start\n");
                self.web_line(t).s("> node server.js\n");
                self.app_log(
                    t + 400_000,
                    "info",
                    &format!(
                        "{} 2.14.0 starting (pid {}, node v16.17.0, NODE_ENV=production)",
                        env.app, self.app_pid
                    ),
                );
            }
            Runtime::Python => {
                let pid = self.app_pid;
                self.app_log(t, "info", "Starting gunicorn 20.1.0");
                self.app_log(
                    t + 2000,
                    "info",
                    &format!("Listening at: http://127.0.0.1:8000 ({pid})"),
                );
                self.app_log(t + 3000, "info", "Using worker: gthread");
                self.app_log(
                    t + 5000,
                    "info",
                    &format!("Booting worker with pid: {}", self.app_pid + 2),
                );
            }
            Runtime::Java => {
                self.web_line(t).s("\n");
                self.web_line(t)
                    .s("  .   ____          _            __ _ _\n");
                self.web_line(t)
                    .s(" :: Spring Boot ::                (v3.2.1)\n");
                self.app_log(
                    t + 900_000,
                    "info",
                    &format!(
                        "Starting Application v1.0.0 using Java 21.0.1 with PID {}",
                        self.app_pid
                    ),
                );
                self.app_log(
                    t + 7_000_000,
                    "info",
                    "Started Application in 7.21 seconds (process running for 8.02)",
                );
            }
        }
        self.app_log(
            t + 1_000_000,
            "info",
            &format!(
                "connecting to postgres at {}-prod.{}.{}.rds.amazonaws.com:5432/app (pool max 20)",
                env.app,
                &env.id[2..],
                env.region
            ),
        );
        self.app_log(t + 1_100_000, "info", "listening on port 8080");
    }

    pub(crate) fn app_restart(&mut self) {
        self.app_pid += self.rng.range(100, 3000);
        let t = self.t;
        let hp = self.healthd_pid;
        let v = &mut self.daemon.buf;
        v.s("I, [");
        ts_ruby6(v, t + 5 * SEC);
        v.s(" #")
            .n(hp)
            .s("]  INFO -- system: pid file /var/pids/web.pid now points to ")
            .n(self.app_pid)
            .nl();
        self.app_start();
    }

    /// The application dies; nginx answers 502 until it is back.
    pub(crate) fn crash(&mut self) -> i64 {
        let env = self.env;
        let t = self.t;
        match env.runtime {
            Runtime::Node => {
                self.app_log(
                    t,
                    "warn",
                    "reconcile: batch has no items (deleted while pending?)",
                );
                for l in NODE_CRASH {
                    self.web_line(t).s(l).nl();
                }
            }
            Runtime::Python => {
                let pid = self.app_pid + 2;
                self.app_log(t, "error", "Exception in worker process");
                for l in PY_CRASH {
                    self.web_line(t).s(l).nl();
                }
                self.app_log(t, "info", &format!("Worker exiting (pid: {pid})"));
                self.app_log(t + 300_000, "info", "Shutting down: Master");
                self.app_log(t + 300_000, "info", "Reason: Worker failed to boot.");
            }
            Runtime::Java => {
                self.app_log(
                    t,
                    "error",
                    "Servlet.service() for servlet [dispatcherServlet] threw exception",
                );
                for l in JAVA_CRASH {
                    self.web_line(t).s(l).nl();
                }
            }
        }
        let hp = self.healthd_pid;
        let pid = self.app_pid;
        let v = &mut self.daemon.buf;
        v.s("W, [");
        ts_ruby6(v, t + 3 * SEC);
        v.s(" #")
            .n(hp)
            .s("]  WARN -- system: pid ")
            .n(pid)
            .s(" from /var/pids/web.pid is not running\n");
        t + self.rng.range(15, 60) as i64 * SEC
    }

    pub(crate) fn healthd_file(&mut self) -> io::Result<&mut LogFile> {
        let hour = self.t.div_euclid(HOUR);
        if self.healthd.as_ref().map(|(h, _)| *h) != Some(hour) {
            let first = self.healthd.is_none();
            if let Some((_, f)) = self.healthd.take() {
                self.healthd_closed += f.len();
                f.finish(&mut self.stats)?;
            }
            let tt = tm(self.t);
            let name = format!(
                "application.log.{:04}-{:02}-{:02}-{:02}",
                tt.y, tt.mo, tt.d, tt.h
            );
            let path = self.inst.dir.join("nginx/healthd").join(&name);
            // healthd looks for the new hour's file before nginx has written to it.
            if !first {
                let hp = self.healthd_pid;
                let v = &mut self.daemon.buf;
                v.s("W, [");
                ts_ruby6(v, hour * HOUR + self.rng.range(100_000, 200_000) as i64);
                v.s(" #")
                    .n(hp)
                    .s("]  WARN -- : log file \"/var/log/nginx/healthd/")
                    .s(&name)
                    .s("\" does not exist\n");
            }
            self.healthd = Some((hour, LogFile::new("nginx/healthd/application.log.*", path)));
        }
        Ok(&mut self.healthd.as_mut().expect("set above").1)
    }

    pub(crate) fn traffic_minute(&mut self) -> io::Result<()> {
        let env = self.env;
        let inst = self.inst;
        let end = self.t + MIN;
        let n = self.rate + self.rng.below(self.rate / 2 + 2);
        let mut down_until = if self.rng.chance(0.002) {
            self.crash()
        } else {
            0
        };
        let gap = MIN / (n as i64 + 3);
        for i in 0..n + 2 {
            self.t += gap / 2 + self.rng.below(gap as u64) as i64;
            let t = self.t;
            let health = i >= n;
            let lb = &inst.lbs[(i % 2) as usize];
            let (route, id) = if health {
                (None, 0)
            } else {
                let r = &ROUTES[self.rng.below(ROUTES.len() as u64) as usize];
                (Some(r), self.rng.range(10_000, 99_999))
            };
            let client = if health {
                "-".to_string()
            } else {
                self.rng.pick(&self.clients).clone()
            };
            let down = t < down_until;
            let (mut status, mut size, mut ms) = match route {
                None => (200, 15, self.rng.range(1, 3)),
                Some(r) => (
                    r.status,
                    self.rng.range(r.size.0, r.size.1),
                    self.rng.range(r.ms.0, r.ms.1),
                ),
            };
            if !health && !down {
                match self.rng.below(1000) {
                    0..=24 => (status, size) = (404, 74),
                    25..=34 => (status, size) = (304, 0),
                    35..=39 => (status, size) = (401, 41),
                    40..=41 => (status, size) = (500, 52),
                    _ => {}
                }
            }
            if down {
                status = 502;
                size = 157;
                ms = 0;
            }
            let timeout =
                !health && !down && route.is_some_and(|r| r.ms.1 > 2000) && self.rng.chance(0.02);
            if timeout {
                status = 504;
                size = 167;
                ms = 60_000;
            }
            let worker = self.workers[self.rng.below(2) as usize];
            // access.log
            let v = &mut self.access.buf;
            v.s(lb).s(" - - [");
            ts_access(v, t);
            v.s("] \"");
            let (method, path) = match route {
                None => ("GET", "/"),
                Some(r) => (r.method, r.path),
            };
            v.s(method).s(" ").s(path);
            if id != 0 && route.is_some_and(|r| r.id) {
                v.n(id);
            }
            if let Some(r) = route {
                v.s(r.query);
            }
            v.s(" HTTP/1.1\" ").n(status).s(" ").n(size).s(" \"");
            match route {
                Some(r) if !r.referer.is_empty() => v.s("https://").s(&env.cname).s(r.referer),
                _ => v.s("-"),
            };
            v.s("\" \"");
            v.s(if health {
                "ELB-HealthChecker/2.0"
            } else {
                AGENTS[(id % AGENTS.len() as u64) as usize]
            });
            v.s("\" \"").s(&client).s("\"\n");
            // healthd
            let f = self.healthd_file()?;
            let v = &mut f.buf;
            ts_msec(v, t);
            v.s("\"").s(path);
            if id != 0 && route.is_some_and(|r| r.id) {
                v.n(id);
            }
            v.s("\"").n(status).s("\"").secs3(ms).s("\"");
            if down {
                v.s("0.000");
            } else {
                v.secs3(ms.saturating_sub(1));
            }
            v.s("\"").s(&client).nl();
            // nginx error.log for upstream trouble
            if down || timeout {
                self.conn += 1;
                let conn = self.conn;
                let v = &mut self.error.buf;
                ts_nginx_err(v, t);
                v.s(" [error] ")
                    .n(worker)
                    .s("#")
                    .n(worker)
                    .s(": *")
                    .n(conn)
                    .s(" ");
                if down {
                    v.s("connect() failed (111: Connection refused) while connecting to upstream");
                } else {
                    v.s("upstream timed out (110: Connection timed out) while reading response header from upstream");
                }
                v.s(", client: ")
                    .s(lb)
                    .s(", server: , request: \"")
                    .s(method)
                    .s(" ")
                    .s(path)
                    .s(" HTTP/1.1\", upstream: \"http://127.0.0.1:8080")
                    .s(path)
                    .s("\", host: \"");
                if health {
                    v.s("172.31.")
                        .n(self.inst.ip[2].into())
                        .s(".")
                        .n(self.inst.ip[3].into());
                } else {
                    v.s(&env.cname);
                }
                v.s("\"");
                if let Some(r) = route.filter(|r| !r.referer.is_empty()) {
                    v.s(", referrer: \"https://")
                        .s(&env.cname)
                        .s(r.referer)
                        .s("\"");
                }
                v.nl();
            } else if method == "POST" && path.ends_with("import") && self.rng.chance(0.03) {
                self.conn += 1;
                let conn = self.conn;
                let v = &mut self.error.buf;
                ts_nginx_err(v, t);
                v.s(" [warn] ").n(worker).s("#").n(worker).s(": *").n(conn).s(" a client request body is buffered to a temporary file /var/lib/nginx/tmp/client_body/").z(conn % 10_000, 10).s(", client: ").s(lb).s(", server: , request: \"POST ").s(path).s(" HTTP/1.1\", host: \"").s(&env.cname).s("\"\n");
            }
            // the application's own line
            if !health && !down && self.rng.chance(0.3) {
                let msg = if route.is_some_and(|r| r.id) {
                    format!("{method} {path}{id} {status} {ms}ms")
                } else {
                    format!("{method} {path} {status} {ms}ms")
                };
                self.app_log(t, if status >= 500 { "error" } else { "info" }, &msg);
            }
            if down && t + gap >= down_until {
                self.t = down_until;
                self.app_restart();
                down_until = 0;
            }
        }
        if self.t >= self.next_job {
            let t = self.t;
            let (a, b) = (self.rng.range(0, 40), self.rng.range(100, 2000));
            self.app_log(
                t,
                "info",
                &format!("reconcile: settled {a} of {a} pending orders in 0.{b}s"),
            );
            self.next_job = t + 5 * MIN;
        }
        if self.rng.chance(0.001) {
            let t = self.t;
            let hp = self.healthd_pid;
            let v = &mut self.daemon.buf;
            v.s("E, [");
            ts_ruby6(v, t);
            v.s(" #")
                .n(hp)
                .s("] ERROR -- : Net::ReadTimeout with #<TCPSocket:(closed)> (Net::ReadTimeout)\n")
                .s(HEALTHD_BACKTRACE);
            v.s("W, [");
            ts_ruby6(v, t + 1000);
            v.s(" #")
                .n(hp)
                .s("]  WARN -- : publish failed, retrying in 10s\n");
            v.s("I, [");
            ts_ruby6(v, t + 10 * SEC);
            v.s(" #")
                .n(hp)
                .s("]  INFO -- : publish succeeded after 1 retry\n");
        }
        self.t = self.t.max(end);
        if let Some((_, f)) = &mut self.healthd {
            f.boundary(&mut self.stats)?;
        }
        self.access.boundary(&mut self.stats)?;
        self.web.boundary(&mut self.stats)?;
        Ok(())
    }
}
