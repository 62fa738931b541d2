//! `tribune audit`: the content inventory, printed as a table or JSON, and written as an HTML
//! report on request.

use crate::audit::{inventory, report};
use crate::cli::AuditArgs;
use crate::command::terminal;
use crate::error::{self, Diagnostic, Result};
use crate::load::corpus::Corpus;
use crate::options::SiteOptions;
use crate::render::plan;
use crate::site::public::{Site, Visibility};
use crate::theme::layers::Theme;
use crate::theme::templates::Templates;

/// Audits the site, prints the report and writes the HTML one; returns the exit code.
pub(crate) fn run(options: &SiteOptions, args: &AuditArgs) -> Result<u8> {
    let (config, clock) = options.load()?;
    let corpus = Corpus::read(&config)?;
    // Links count as broken when a normal build would not make their target.
    let site = Site::new(&corpus, &config, clock, Visibility::default());
    let theme = Theme::load(&config)?;
    let outputs = plan::plan(&site, &theme)?
        .into_iter()
        .map(|p| p.site_path)
        .collect();
    let audit = inventory::audit(&corpus, &site, &outputs);
    if args.json {
        let json = serde_json::to_string_pretty(&audit).expect("the audit serializes");
        terminal::print_out(&(json + "\n"))?;
    } else {
        terminal::print_out(&inventory::terminal(&audit))?;
    }
    if let Some(path) = &args.html {
        // Only the HTML report needs the templates: a theme error does not stop the table.
        let templates = Templates::compile(&theme, &config)?;
        let french = config.french_spacing && crate::locale::is_french(&config.language);
        // Each language goes by its own name, the one its switcher shows; a language the
        // theme does not speak would get the English strings' "English", so it keeps its code.
        let names = config
            .languages
            .iter()
            .filter(|l| theme.speaks(&l.code))
            .filter_map(|l| {
                let name = theme.strings_for(&l.code).remove("language_name")?;
                Some((l.code.clone(), name))
            })
            .collect();
        let html = report::render(
            &audit,
            &templates,
            &theme.strings,
            &names,
            &config.language,
            french,
        )?;
        std::fs::write(path, html).map_err(|e| Diagnostic::io(path, "write the report", &e))?;
    }
    Ok(if args.strict && audit.problems > 0 {
        error::EXIT_INPUT
    } else {
        error::EXIT_OK
    })
}
