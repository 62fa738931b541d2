//! Integration tests: small fixture sites built into temporary folders by the real binary.

mod audit;
mod audit_translations;
mod bounds;
mod build;
mod check;
mod cli;
mod editorial;
mod errors;
mod feeds;
mod images;
mod import;
mod import_exports;
mod import_sites;
mod languages;
mod multilingual;
mod output;
mod publish;
mod reader;
mod robust;
mod safety;
mod schedule;
mod search;
mod search_client;
mod serve;
mod site_features;
mod social;
mod social_languages;
mod starter;
mod theme_strings;
mod workflows;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The build clock of every test, so results never depend on the day they run.
pub const NOW: &str = "2026-11-23T12:00:00Z";

/// A site folder in a temporary directory.
pub struct Site {
    dir: tempfile::TempDir,
}

/// The result of one run of the binary.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Default for Site {
    fn default() -> Site {
        Site::new()
    }
}

impl Site {
    /// A site with a minimal `site.toml` in French.
    pub fn new() -> Site {
        Site::with_config(
            "title = \"Le Carnet\"\nbase_url = \"https://example.org/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\nauthor = \"Camille\"\n",
        )
    }

    /// A site with one post that built once, so a test can check the output survives a failed
    /// build.
    pub fn built() -> Site {
        let site = Site::new();
        site.post(
            "bonjour",
            "title = \"Bonjour\"\ndate = 2026-01-01",
            "Texte.\n",
        );
        site.build();
        site
    }

    /// A site with this `site.toml`.
    pub fn with_config(config: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.file("site.toml", config);
        site
    }

    /// Writes a file of the site.
    pub fn file(&self, path: &str, text: &str) -> &Site {
        self.bytes(path, text.as_bytes())
    }

    /// Writes a file of the site from bytes.
    pub fn bytes(&self, path: &str, bytes: &[u8]) -> &Site {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Writes a post `content/posts/<name>.md` from front matter lines and a body.
    pub fn post(&self, name: &str, front: &str, body: &str) -> &Site {
        self.file(
            &format!("content/posts/{name}.md"),
            &format!("+++\n{front}\n+++\n{body}"),
        )
    }

    /// Removes a file of the site.
    pub fn remove(&self, path: &str) -> &Site {
        std::fs::remove_file(self.dir.path().join(path)).unwrap();
        self
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `tribune <args> --root <site>`, with `--now NOW` unless `args` give a time.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// [`Site::run`] with these environment variables set.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let now: &[&str] = if args.contains(&"--now") {
            &[]
        } else {
            &["--now", NOW]
        };
        let out = Command::new(env!("CARGO_BIN_EXE_tribune"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .args(now)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("TRIBUNE_BLUESKY_SECRET")
            .env_remove("TRIBUNE_MASTODON_SECRET")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `tribune build` and expects success.
    pub fn build(&self) -> Run {
        self.run(&["build"]).ok()
    }

    /// A file of the default output folder, as text.
    pub fn read(&self, path: &str) -> String {
        let full = self.root().join("public").join(path);
        std::fs::read_to_string(&full)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
    }

    /// Whether the default output folder has this file.
    pub fn has(&self, path: &str) -> bool {
        self.root().join("public").join(path).is_file()
    }

    /// Every file of a folder of the site with its bytes, by relative path.
    pub fn tree(&self, folder: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.root().join(folder))
    }
}

/// A small deterministic generator: the same cases on every run.
pub struct Rng(pub u64);

impl Rng {
    /// One of `from`.
    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        from[(self.0 >> 33) as usize % from.len()]
    }
}

/// A PNG file of this size: a gradient, so that resized copies differ.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
        .unwrap();
    bytes
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

impl Run {
    /// Expects exit code 0.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// Expects this exit code and a message containing every one of `parts`.
    pub fn fails(self, code: i32, parts: &[&str]) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        for part in parts {
            assert!(
                self.stderr.contains(part),
                "stderr lacks {part:?}:\n{}",
                self.stderr
            );
        }
        self
    }
}
