//! What the unit tests of several modules share: the pages to check and random markup.

/// Pieces of markup the property tests join at random: tags the tree builder and the pre-pass
/// treat specially, quotes, comment and reference fragments.
const MARKUP_PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "/",
    "=",
    "\"",
    "'",
    " ",
    "<!--",
    "-->",
    "--!>",
    "-",
    "!",
    "<p",
    "<div",
    "<b",
    "<a",
    "<svg",
    "</svg>",
    "<path",
    "<title>",
    "</title>",
    "<script>",
    "</script>",
    "<style>",
    "</style",
    "<select>",
    "</select>",
    "<textarea>",
    "<noscript>",
    "<table>",
    "<input",
    " type=hidden",
    " data-x=1",
    " class=\"c\"",
    " id=i",
    "<template shadowrootmode=open>",
    "x",
    "\n",
    "<![CDATA[",
    "]]>",
    "<math>",
    "<option>",
    "&amp;",
    " style=\"display:none\"",
    " style=x",
    " aria-hidden=true",
    " aria-hidden=false",
    " tabindex=-1",
    " class=\"x error\"",
    "<spl-phone-field>",
    "</spl-phone-field>",
    "<spl-select>",
    "</spl-select>",
    "<spl-select-option>",
    "</spl-select-option>",
    "<div>",
    "</div>",
    "<span>",
    "</span>",
    "</p>",
    "\n  ",
    "<meta",
    "<link",
    "&quot;",
    "&nbsp;",
    "&#160;",
    " title=\"a&quot;",
    "lt;",
    "<tr>",
    "<td>",
    "</table>",
    "<pre>",
    "<plaintext>",
    "<template>",
    "</template>",
    "\r",
    "\t",
    "&",
    "&amp",
    "&#",
    "x;",
    "&not",
    "in",
    "&#12",
    "3",
    "<!DOCTYPE html>",
    "<html>",
    "<head>",
    "<body>",
    "<frameset>",
    "<li>",
    "<form>",
    "</form>",
    "<h1>",
    "<I>",
    "</B>",
    " A=b",
    "é",
    "<foreignObject>",
];

/// Random tag soup: up to 40 of `MARKUP_PIECES` joined.
pub(crate) fn tag_soup() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(proptest::sample::select(MARKUP_PIECES), 0..40)
        .prop_map(|parts| parts.concat())
}

/// Every HTML page of the fixtures and of the shared corpus, with its path.
pub(crate) fn fixture_and_corpus_pages() -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut pages = Vec::new();
    for dir in [root.join("fixtures"), root.join("../shared/corpus")] {
        let Ok(ats_dirs) = std::fs::read_dir(&dir) else {
            continue;
        };
        for ats in ats_dirs.flatten() {
            let Ok(files) = std::fs::read_dir(ats.path()) else {
                continue;
            };
            for file in files.flatten() {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "html") {
                    let html = std::fs::read_to_string(&path).unwrap();
                    pages.push((path, html));
                }
            }
        }
    }
    assert!(!pages.is_empty(), "no fixture pages found");
    pages
}
