//! `blomlada serve` over HTTP: pages with the live-reload script, 404s with the not-found page,
//! and the error overlay over the last good page while a submission is invalid.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_blomlada");
const TIMEOUT: Duration = Duration::from_secs(120);

struct Serve {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    address: String,
}

impl Serve {
    fn start(content: &Path) -> Serve {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--no-png", "--content"])
            .arg(content)
            .arg("--theme")
            .arg(theme)
            .env("NO_COLOR", "1")
            .env("BLOMLADA_NO_CACHE", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let mut serve = Serve {
            child,
            log,
            address: String::new(),
        };
        serve.wait_until("the server", || {
            serve_address(&serve.log.lock().unwrap()).is_some()
        });
        serve.address = serve_address(&serve.log.lock().unwrap()).unwrap();
        serve
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what}; log:\n{}",
                self.log.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// GET `path`: the status and the body (HTTP/1.0, so that the body comes unchunked).
    fn get(&self, path: &str) -> (u16, String) {
        self.get_with(path, "")
    }

    /// GET `path` with extra header lines (each ending in `\r\n`).
    fn get_with(&self, path: &str, headers: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {}\r\n{headers}\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }
}

impl Serve {
    /// The folder it serves, from the line `serving FOLDER at http://...`.
    fn folder(&self) -> PathBuf {
        let log = self.log.lock().unwrap();
        let line = log.iter().find(|l| l.contains("serving ")).unwrap();
        let rest = &line[line.find("serving ").unwrap() + "serving ".len()..];
        PathBuf::from(&rest[..rest.find(" at http://").unwrap()])
    }

    /// SIGTERM; returns whether it exited successfully.
    fn stop(&mut self) -> bool {
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            assert!(started.elapsed() < TIMEOUT, "serve did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.stop();
        }
    }
}

/// `127.0.0.1:PORT` from the line `serving ... at http://127.0.0.1:PORT/ ...`.
fn serve_address(log: &[String]) -> Option<String> {
    let line = log.iter().find(|l| l.contains("serving "))?;
    let rest = &line[line.find("http://")? + "http://".len()..];
    Some(rest[..rest.find('/')?].to_string())
}

fn content() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    blomlada::generate::generate(
        &content,
        &blomlada::generate::Options {
            municipalities: 6,
            years: vec![2017],
            seed: 5,
        },
    )
    .unwrap();
    (dir, content)
}

#[test]
fn serves_pages_reloads_them_and_shows_errors_over_the_last_good_page() {
    let (_dir, content) = content();
    let serve = Serve::start(&content);
    let folder = content.join("assessments/2017");
    let mut stems: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    stems.sort();
    let slug = stems[0].split_once('-').unwrap().1.to_string();
    let page = format!("/kommun/{slug}/");

    let (status, last_good) = serve.get(&page);
    assert_eq!(status, 200);
    let body = last_good.clone();
    assert!(
        body.contains("/_tower-livereload/event-stream"),
        "no live reload"
    );
    assert!(!body.contains("blomlada-errors"));
    let (status, body) = serve.get("/finns/inte/");
    assert_eq!(status, 404);
    assert!(body.contains("</html>") && body.contains("event-stream"));

    // An invalid answer: the overlay over the last good page, with file, line and column.
    let file = folder.join(format!("{}.yaml", stems[0]));
    let good = std::fs::read_to_string(&file).unwrap();
    let line = good
        .lines()
        .position(|l| l.starts_with("  aldre-1: "))
        .unwrap()
        + 1;
    let bad: String = good
        .lines()
        .map(|l| {
            if l.starts_with("  aldre-1: ") {
                "  aldre-1: <kanske>\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&file, bad).unwrap();
    serve.wait_until("the overlay", || {
        serve.get(&page).1.contains("blomlada-errors")
    });
    let (status, body) = serve.get(&page);
    assert_eq!(status, 200);
    assert!(body.contains(r#"<div id="blomlada-errors" role="alert""#));
    assert!(body.contains(&format!(r#"data-line="{line}" data-column="12""#)));
    assert!(body.contains(&format!("{}:{line}:12: error", file.display())));
    assert!(body.contains("&lt;kanske&gt;") && !body.contains("<kanske>"));
    // The page under it is the last good one.
    let start = body.find(r#"<div id="blomlada-errors""#).unwrap();
    let end = body[start..].find("</style>").unwrap() + start + "</style>".len();
    assert_eq!(format!("{}{}", &body[..start], &body[end..]), last_good);
    // A browser revalidates the page it has cached; the file is unchanged, but the answer must
    // carry the overlay, not say 304 Not Modified.
    let (status, body) = serve.get_with(
        &page,
        "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\nIf-None-Match: *\r\n",
    );
    assert_eq!(status, 200);
    assert!(body.contains(r#"<div id="blomlada-errors" role="alert""#));

    // Fixed: the overlay is gone.
    std::fs::write(&file, &good).unwrap();
    serve.wait_until("the overlay to go", || {
        !serve.get(&page).1.contains("blomlada-errors")
    });

    // SIGTERM ends it cleanly, and its temporary folder goes with it.
    let folder = serve.folder();
    assert!(folder.join("index.html").is_file());
    let mut serve = serve;
    assert!(serve.stop());
    assert!(!folder.exists());
}
