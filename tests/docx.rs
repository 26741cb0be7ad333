//! The Word documents, read back: unzipped, `word/document.xml` and the other parts parsed,
//! and checked against GB/T 9704-2012 and against the `.txt` of the same report.

mod support;

use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;
use support::Fixture;

/// A parsed XML element: enough of a DOM for the checks.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        if self.name == name {
            out.push(self);
        }
        for child in &self.children {
            child.all(name, out);
        }
    }

    fn find_all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }

    /// The text of every `w:t` inside.
    fn text(&self) -> String {
        self.find_all("w:t")
            .iter()
            .map(|t| t.text.as_str())
            .collect()
    }
}

fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    let element = |e: &quick_xml::events::BytesStart| Node {
        name: e.name().as_ref().to_owned(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let node = element(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let entity = match r.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other:?}"),
                };
                stack.last_mut().unwrap().text.push_str(entity);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    stack.pop().unwrap().children.remove(0)
}

/// The text of a `w:p`, a `w:tab` as a tab character; a tab before the text (an indent by a
/// tab stop) is not part of the line.
fn line_of(paragraph: &Node) -> String {
    fn walk(node: &Node, out: &mut String) {
        match node.name.as_str() {
            "w:t" => out.push_str(&node.text),
            "w:tab" if node.attributes.is_empty() => out.push('\t'),
            _ => node.children.iter().for_each(|c| walk(c, out)),
        }
    }
    let mut out = String::new();
    walk(paragraph, &mut out);
    out.trim_start_matches('\t').to_owned()
}

/// The document's lines as the `.txt` has them: each non-empty paragraph, each table row
/// with its cells separated by tabs.
fn lines_of(body: &Node) -> Vec<String> {
    let mut lines = Vec::new();
    for child in &body.children {
        match child.name.as_str() {
            "w:p" => lines.push(line_of(child)),
            "w:tbl" => {
                for row in child.find_all("w:tr") {
                    let cells: Vec<String> =
                        row.find_all("w:tc").iter().map(|c| line_of(c)).collect();
                    lines.push(cells.join("\t"));
                }
            }
            _ => {}
        }
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// The parts of a `.docx`, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().into_owned(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no part {name}"))
        .1
}

fn built(fixture: &Fixture, dept: &str) -> (Vec<(String, String)>, String) {
    let docx =
        std::fs::read(fixture.path(&format!("output/2022/{dept}/意识形态工作.docx"))).unwrap();
    let txt = fixture.read(&format!("output/2022/{dept}/意识形态工作.txt"));
    (unzip(&docx), txt)
}

fn example() -> Fixture {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    fixture
}

#[test]
fn the_text_equals_the_txt_output_paragraph_by_paragraph() {
    let fixture = example();
    for dept in ["县退役军人事务局", "县文化广电旅游局", "县教育体育局"] {
        let (parts, txt) = built(&fixture, dept);
        let document = parse(part(&parts, "word/document.xml"));
        let body = document.child("w:body").unwrap();
        let lines: Vec<&str> = txt.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines_of(body), lines, "{dept}");
    }
}

#[test]
fn page_setup_fonts_sizes_and_indents_follow_the_standard() {
    let fixture = example();
    let (parts, _) = built(&fixture, "县退役军人事务局");
    let document = parse(part(&parts, "word/document.xml"));

    let section = &document.find_all("w:sectPr")[0];
    let size = section.child("w:pgSz").unwrap();
    assert_eq!(
        (size.attr("w:w"), size.attr("w:h")),
        (Some("11906"), Some("16838"))
    );
    let margins = section.child("w:pgMar").unwrap();
    for (side, twips) in [
        ("w:top", "2098"),
        ("w:left", "1587"),
        ("w:bottom", "1984"),
        ("w:right", "1474"),
    ] {
        assert_eq!(margins.attr(side), Some(twips), "{side}");
    }
    let grid = section.child("w:docGrid").unwrap();
    assert_eq!(grid.attr("w:linePitch"), Some("579"));

    let paragraphs = document.find_all("w:p");
    let font = |p: &Node| {
        p.find_all("w:rFonts")
            .first()
            .and_then(|f| f.attr("w:eastAsia"))
            .map(str::to_owned)
    };
    let size = |p: &Node| {
        p.find_all("w:sz")
            .first()
            .and_then(|s| s.attr("w:val"))
            .map(str::to_owned)
    };

    // The title: 2号 小标宋, centred.
    let title = paragraphs[0];
    assert_eq!(
        title.text(),
        "县退役军人事务局关于2022年意识形态工作情况的报告"
    );
    assert_eq!(font(title).as_deref(), Some("方正小标宋简体"));
    assert_eq!(size(title).as_deref(), Some("44"));
    assert_eq!(
        title
            .child("w:pPr")
            .unwrap()
            .child("w:jc")
            .unwrap()
            .attr("w:val"),
        Some("center")
    );

    // Every paragraph: exact 28.95 pt lines and widow control off; every run: Times New
    // Roman for Latin and digits, a CJK font in the East Asian slot.
    for p in &paragraphs {
        let ppr = p.child("w:pPr").unwrap();
        let spacing = ppr.child("w:spacing").unwrap();
        assert_eq!(
            (spacing.attr("w:line"), spacing.attr("w:lineRule")),
            (Some("579"), Some("exact"))
        );
        assert_eq!(
            ppr.child("w:widowControl").unwrap().attr("w:val"),
            Some("0")
        );
        for fonts in p.find_all("w:rFonts") {
            assert_eq!(fonts.attr("w:ascii"), Some("Times New Roman"));
            assert!(fonts.attr("w:eastAsia").is_some_and(|f| !f.is_empty()));
        }
    }

    // Body: 3号 仿宋, two characters indented, justified, 28 characters a line.
    let body = paragraphs
        .iter()
        .find(|p| p.text().starts_with("县退役军人事务局以牢守"))
        .unwrap();
    assert_eq!(font(body).as_deref(), Some("仿宋_GB2312"));
    assert_eq!(size(body).as_deref(), Some("32"));
    let ppr = body.child("w:pPr").unwrap();
    assert_eq!(ppr.child("w:ind").unwrap().attr("w:firstLine"), Some("640"));
    assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some("both"));
    let spacing = body.find_all("w:rPr")[0].child("w:spacing").unwrap();
    assert_eq!(spacing.attr("w:val"), Some("-5"));

    // Headings by level from the document model: 一、 in 黑体 with the Heading1 style.
    let heading = paragraphs
        .iter()
        .find(|p| p.text() == "一、工作总体情况")
        .unwrap();
    assert_eq!(font(heading).as_deref(), Some("黑体"));
    let style = heading.child("w:pPr").unwrap().child("w:pStyle").unwrap();
    assert_eq!(style.attr("w:val"), Some("Heading1"));

    // Run-in leads stay bold, the body after them does not.
    let item = paragraphs
        .iter()
        .find(|p| p.text().starts_with("1.坚持培根铸魂"))
        .unwrap();
    let runs = item.find_all("w:r");
    assert_eq!(runs[0].text(), "1.坚持培根铸魂，强化思想政治建设质量。");
    assert!(runs[0].find_all("w:b").len() == 1);
    assert!(runs[1].find_all("w:b").is_empty());

    // The EN SPACE survives into Word.
    assert!(document.text().contains("处置能力，\u{2002}有力提升"));
}

#[test]
fn signature_date_and_addressee_are_placed_as_clause_7_3_5_2_says() {
    let fixture = example();
    let (parts, _) = built(&fixture, "县文化广电旅游局");
    let document = parse(part(&parts, "word/document.xml"));
    let paragraphs = document.find_all("w:p");
    let n = paragraphs.len();
    let (signature, date) = (paragraphs[n - 2], paragraphs[n - 1]);
    assert_eq!(signature.text(), "县文化广电旅游局");
    assert_eq!(date.text(), "2023年1月5日");
    assert!(
        paragraphs[n - 3].text().is_empty(),
        "one blank line above the signature"
    );
    // The signature two characters in from the right (a character on the line is 16 pt less
    // 0.25 pt of spacing: 315 twips); the date starts two characters right of the
    // signature's start, placed from the left so that how wide a renderer draws digits does
    // not move it: 156 mm (8845 twips) less the signature's 8 characters.
    assert_eq!(indent(signature, "right", "w:right"), 630);
    assert_eq!(indent(date, "left", "w:left"), 8845 - 8 * 315);

    // The addressee: flush left, ending with a full-width colon, right under the blank line.
    assert_eq!(paragraphs[2].text(), "县委宣传部：");
    // Flush left: no first-line indent (Normal's two characters are overridden) and no other.
    let ind = paragraphs[2]
        .child("w:pPr")
        .unwrap()
        .child("w:ind")
        .unwrap();
    assert_eq!(ind.attributes, [("w:firstLine".to_owned(), "0".to_owned())]);
    // The signature and the date do not take Normal's first-line indent either.
    for p in [signature, date] {
        let ind = p.child("w:pPr").unwrap().child("w:ind").unwrap();
        assert_eq!(ind.attr("w:firstLine"), Some("0"));
    }
    // The veterans bureau has none of them, as in the reference.
    let (parts, _) = built(&fixture, "县退役军人事务局");
    let veterans = parse(part(&parts, "word/document.xml"));
    assert!(
        veterans
            .find_all("w:p")
            .last()
            .unwrap()
            .text()
            .starts_with("三是强化理想信念")
    );
}

#[test]
fn with_a_seal_the_date_is_four_characters_in_and_the_signature_centred_over_it() {
    // `[docx] seal = true` (GB/T 9704-2012 7.3.5.1).
    let fixture = Fixture::example();
    let manifest = "templates/意识形态工作/report.toml";
    let text = fixture.read(manifest);
    fixture.write(manifest, &format!("{text}\n[docx]\nseal = true\n"));
    let run = fixture.run(&["build", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (parts, _) = built(&fixture, "县文化广电旅游局");
    let document = parse(part(&parts, "word/document.xml"));
    let paragraphs = document.find_all("w:p");
    let n = paragraphs.len();
    let (signature, date) = (paragraphs[n - 2], paragraphs[n - 1]);
    assert_eq!(signature.text(), "县文化广电旅游局");
    assert_eq!(date.text(), "2023年1月5日");
    assert!(
        paragraphs[n - 3].text().is_empty() && paragraphs[n - 4].text().is_empty(),
        "two blank lines above the signature, for the seal"
    );
    assert!(!paragraphs[n - 5].text().is_empty());
    // Four characters of 315 twips in from the right.
    assert_eq!(indent(date, "right", "w:right"), 1260);
    // The date is 6 digits of 155 and 3 characters of 315 (1875): its middle is 8845 − 1260 −
    // 937; the signature's 8 characters (2520) centred there start at 6648 − 1260.
    assert_eq!(indent(signature, "left", "w:left"), 5388);
}

/// A paragraph's indent on `side` in twips, after checking its alignment is `jc`.
fn indent(p: &Node, jc: &str, side: &str) -> i64 {
    assert_eq!(ppr(p).child("w:jc").unwrap().attr("w:val"), Some(jc));
    ppr(p)
        .child("w:ind")
        .unwrap()
        .attr(side)
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn page_numbers_alternate_sides_in_4hao_songti() {
    let fixture = example();
    let (parts, _) = built(&fixture, "县退役军人事务局");
    let settings = parse(part(&parts, "word/settings.xml"));
    assert!(settings.child("w:evenAndOddHeaders").is_some());
    let document = parse(part(&parts, "word/document.xml"));
    // The dashes 7 mm under the text block (measured in LibreOffice's PDF): the footer 1451
    // twips above the page's bottom edge.
    let margins = document.find_all("w:pgMar")[0];
    assert_eq!(margins.attr("w:footer"), Some("1451"));
    let references = document.find_all("w:footerReference");
    assert_eq!(references.len(), 2);
    let rels = part(&parts, "word/_rels/document.xml.rels");
    for (footer, kind, jc, indent) in [
        ("word/footer1.xml", "default", "right", "w:right"),
        ("word/footer2.xml", "even", "left", "w:left"),
    ] {
        let reference = references
            .iter()
            .find(|r| r.attr("w:type") == Some(kind))
            .unwrap();
        let target = footer.trim_start_matches("word/");
        assert!(
            rels.contains(&format!("Id=\"{}\"", reference.attr("r:id").unwrap()))
                && rels.contains(&format!("Target=\"{target}\"")),
            "{rels}"
        );
        let footer = parse(part(&parts, footer));
        let ppr = footer.find_all("w:pPr")[0];
        assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some(jc));
        assert_eq!(ppr.child("w:ind").unwrap().attr(indent), Some("280"));
        // One exact 14 pt line off the grid, without Normal's indent: a taller footer would
        // take a line from every page.
        assert_eq!(ppr.child("w:ind").unwrap().attr("w:firstLine"), Some("0"));
        let spacing = ppr.child("w:spacing").unwrap();
        assert_eq!(
            (spacing.attr("w:line"), spacing.attr("w:lineRule")),
            (Some("280"), Some("exact"))
        );
        assert_eq!(ppr.child("w:snapToGrid").unwrap().attr("w:val"), Some("0"));
        assert_eq!(footer.text(), "— 1 —");
        let instructions: String = footer
            .find_all("w:instrText")
            .iter()
            .map(|t| t.text.clone())
            .collect();
        assert_eq!(instructions.trim(), "PAGE");
        for fonts in footer.find_all("w:rFonts") {
            assert_eq!(fonts.attr("w:eastAsia"), Some("宋体"));
        }
        for size in footer.find_all("w:sz") {
            assert_eq!(size.attr("w:val"), Some("28"));
        }
    }
}

/// The children of these elements form sequences in the schema (ECMA-376, CT_PPrBase,
/// CT_RPr, CT_SectPr, CT_Settings); Word answers an element out of order with a repair
/// prompt. The lists hold the elements in schema order, as far as they matter here.
const ORDERS: &[(&str, &[&str])] = &[
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:rPr",
        &[
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
        ],
    ),
    (
        "w:sectPr",
        &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
    ),
    (
        "w:settings",
        &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries",
            "w:displayBackgroundShape",
            "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth",
            "w:printFormsData",
            "w:embedTrueTypeFonts",
            "w:embedSystemFonts",
            "w:saveSubsetFonts",
            "w:saveFormsData",
            "w:mirrorMargins",
            "w:alignBordersAndEdges",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:gutterAtTop",
            "w:hideSpellingErrors",
            "w:hideGrammaticalErrors",
            "w:activeWritingStyle",
            "w:proofState",
            "w:formsDesign",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:stylePaneFormatFilter",
            "w:stylePaneSortMethod",
            "w:documentType",
            "w:mailMerge",
            "w:revisionView",
            "w:trackRevisions",
            "w:doNotTrackMoves",
            "w:doNotTrackFormatting",
            "w:documentProtection",
            "w:autoFormatOverride",
            "w:styleLockTheme",
            "w:styleLockQFSet",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:showEnvelope",
            "w:summaryLength",
            "w:clickAndTypeStyle",
            "w:defaultTableStyle",
            "w:evenAndOddHeaders",
            "w:bookFoldRevPrinting",
            "w:bookFoldPrinting",
            "w:bookFoldPrintingSheets",
            "w:drawingGridHorizontalSpacing",
            "w:drawingGridVerticalSpacing",
            "w:displayHorizontalDrawingGridEvery",
            "w:displayVerticalDrawingGridEvery",
            "w:doNotUseMarginsForDrawingGridOrigin",
            "w:drawingGridHorizontalOrigin",
            "w:drawingGridVerticalOrigin",
            "w:doNotShadeFormData",
            "w:noPunctuationKerning",
            "w:characterSpacingControl",
            "w:printTwoOnOne",
            "w:strictFirstAndLastChars",
            "w:noLineBreaksAfter",
            "w:noLineBreaksBefore",
            "w:savePreviewPicture",
            "w:doNotValidateAgainstSchema",
            "w:saveInvalidXml",
            "w:ignoreMixedContent",
            "w:alwaysShowPlaceholderText",
            "w:doNotDemarcateInvalidXml",
            "w:saveXmlDataOnly",
            "w:useXSLTWhenSaving",
            "w:saveThroughXslt",
            "w:showXMLTags",
            "w:alwaysMergeEmptyNamespace",
            "w:updateFields",
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
        ],
    ),
];

#[test]
fn elements_keep_the_schema_order() {
    let fixture = example();
    let mut checked = 0;
    for dept in ["县退役军人事务局", "县文化广电旅游局"] {
        let (parts, _) = built(&fixture, dept);
        for (name, xml) in &parts {
            if !name.ends_with(".xml") {
                continue;
            }
            let root = parse(xml);
            for (element, order) in ORDERS {
                for node in root.find_all(element) {
                    let positions: Vec<usize> = node
                        .children
                        .iter()
                        .map(|c| {
                            order.iter().position(|o| *o == c.name).unwrap_or_else(|| {
                                panic!("{name}: {} is not a child of {element} we know", c.name)
                            })
                        })
                        .collect();
                    // Only the footer and header references may repeat.
                    let repeatable = |i: usize| order[i].ends_with("Reference");
                    assert!(
                        positions
                            .windows(2)
                            .all(|w| w[0] < w[1] || (w[0] == w[1] && repeatable(w[0]))),
                        "{name}: children of {element} out of order: {:?}",
                        node.children.iter().map(|c| &c.name).collect::<Vec<_>>()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} elements checked");
}

#[test]
fn fonts_sizes_and_spacing_can_be_changed_per_report_kind() {
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/意识形态工作/report.toml");
    fixture.write(
        "templates/意识形态工作/report.toml",
        &format!("{manifest}\n[docx]\nbody_font = \"方正仿宋_GBK\"\nline_spacing = 29\n"),
    );
    let run = fixture.run(&["build", "--kind", "意识形态工作", "--format", "docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx =
        std::fs::read(fixture.path("output/2022/县退役军人事务局/意识形态工作.docx")).unwrap();
    let parts = unzip(&docx);
    let document = parse(part(&parts, "word/document.xml"));
    let body = document
        .find_all("w:p")
        .into_iter()
        .find(|p| p.text().starts_with("县退役军人事务局以牢守"))
        .unwrap();
    assert_eq!(
        body.find_all("w:rFonts")[0].attr("w:eastAsia"),
        Some("方正仿宋_GBK")
    );
    assert_eq!(body.find_all("w:spacing")[0].attr("w:line"), Some("580"));
    let fonts = parse(part(&parts, "word/fontTable.xml"));
    let font = fonts
        .find_all("w:font")
        .into_iter()
        .find(|f| f.attr("w:name") == Some("方正仿宋_GBK"))
        .unwrap();
    assert_eq!(font.child("w:altName").unwrap().attr("w:val"), Some("仿宋"));

    fixture.write(
        "templates/意识形态工作/report.toml",
        &format!("{manifest}\n[docx]\nbody_fonts = \"方正仿宋_GBK\"\n"),
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("body_fonts"), "{}", run.stdout);
}

/// The first paragraph with this style, or starting with this text.
fn styled<'a>(paragraphs: &[&'a Node], style: &str) -> Vec<&'a Node> {
    paragraphs
        .iter()
        .copied()
        .filter(|p| {
            p.child("w:pPr")
                .and_then(|ppr| ppr.child("w:pStyle"))
                .and_then(|s| s.attr("w:val"))
                == Some(style)
        })
        .collect()
}

#[test]
fn titles_break_into_balanced_lines_off_the_grid() {
    let fixture = example();
    for (dept, lines) in [
        (
            "县教育体育局",
            ["县教育体育局关于2022年", "意识形态工作情况的报告"],
        ),
        (
            "县退役军人事务局",
            ["县退役军人事务局关于2022年", "意识形态工作情况的报告"],
        ),
    ] {
        let (parts, _) = built(&fixture, dept);
        let document = parse(part(&parts, "word/document.xml"));
        let paragraphs = document.find_all("w:p");
        let title = styled(&paragraphs, "Title")[0];
        let texts: Vec<&str> = title
            .find_all("w:t")
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(texts, lines, "{dept}");
        // One run, its lines joined by a line break.
        assert_eq!(title.find_all("w:r").len(), 1);
        assert_eq!(title.find_all("w:br").len(), 1);
        let ppr = title.child("w:pPr").unwrap();
        // Off the document grid: 22 pt lines one exact line pitch apart, not two grid lines.
        assert_eq!(ppr.child("w:snapToGrid").unwrap().attr("w:val"), Some("0"));
        assert!(ppr.child("w:keepNext").is_some());
    }
}

#[test]
fn headings_are_kept_with_the_paragraph_that_follows() {
    let fixture = example();
    let (parts, _) = built(&fixture, "县退役军人事务局");
    let document = parse(part(&parts, "word/document.xml"));
    let paragraphs = document.find_all("w:p");
    let headings = styled(&paragraphs, "Heading1");
    assert_eq!(headings.len(), 3);
    for heading in headings {
        let ppr = heading.child("w:pPr").unwrap();
        assert!(ppr.child("w:keepNext").is_some(), "{}", heading.text());
    }
    // Body paragraphs are not: a chain of them would move whole pages.
    let body = paragraphs
        .iter()
        .find(|p| p.text().starts_with("县退役军人事务局以牢守"))
        .unwrap();
    assert!(body.child("w:pPr").unwrap().child("w:keepNext").is_none());
}

#[test]
fn the_styles_carry_the_official_format() {
    let fixture = example();
    let (parts, _) = built(&fixture, "县退役军人事务局");
    let styles = parse(part(&parts, "word/styles.xml"));
    let style = |id: &str| {
        *styles
            .find_all("w:style")
            .iter()
            .find(|s| s.attr("w:styleId") == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"))
    };
    for (id, font, size, jc, indent) in [
        ("Normal", "仿宋_GB2312", "32", "both", Some("640")),
        ("Title", "方正小标宋简体", "44", "center", Some("0")),
        ("Heading1", "黑体", "32", "both", Some("640")),
        ("Heading2", "楷体_GB2312", "32", "both", Some("640")),
        ("Heading3", "仿宋_GB2312", "32", "both", Some("640")),
        ("Heading4", "仿宋_GB2312", "32", "both", Some("640")),
    ] {
        let style = style(id);
        let rpr = style.child("w:rPr").unwrap();
        let fonts = rpr.child("w:rFonts").unwrap();
        assert_eq!(fonts.attr("w:eastAsia"), Some(font), "{id}");
        assert_eq!(fonts.attr("w:ascii"), Some("Times New Roman"), "{id}");
        assert_eq!(rpr.child("w:sz").unwrap().attr("w:val"), Some(size), "{id}");
        let ppr = style.child("w:pPr").unwrap();
        let spacing = ppr.child("w:spacing").unwrap();
        assert_eq!(
            (spacing.attr("w:line"), spacing.attr("w:lineRule")),
            (Some("579"), Some("exact")),
            "{id}"
        );
        assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some(jc), "{id}");
        assert_eq!(
            ppr.child("w:ind").and_then(|i| i.attr("w:firstLine")),
            indent,
            "{id}"
        );
        let heading = id.starts_with("Heading");
        assert_eq!(
            ppr.child("w:keepNext").is_some(),
            heading || id == "Title",
            "{id}"
        );
        if heading {
            let level = (id.as_bytes()[7] - b'1').to_string();
            assert_eq!(
                ppr.child("w:outlineLvl").unwrap().attr("w:val"),
                Some(level.as_str())
            );
        }
    }
}

#[test]
fn every_run_draws_shared_marks_in_the_chinese_font() {
    let fixture = example();
    let (parts, _) = built(&fixture, "县退役军人事务局");
    for name in ["word/document.xml", "word/styles.xml"] {
        let xml = parse(part(&parts, name));
        let fonts = xml.find_all("w:rFonts");
        assert!(!fonts.is_empty());
        for f in fonts {
            assert_eq!(f.attr("w:hint"), Some("eastAsia"), "{name}");
        }
    }
}

#[test]
fn run_in_leads_take_the_font_of_their_level() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--kind", "数据简报", "--format", "docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx = std::fs::read(fixture.path("output/2022/县退役军人事务局/数据简报.docx")).unwrap();
    let parts = unzip(&docx);
    let document = parse(part(&parts, "word/document.xml"));
    let item = *document
        .find_all("w:p")
        .iter()
        .find(|p| p.text().starts_with("（一）"))
        .unwrap();
    let runs = item.find_all("w:r");
    let font = |r: &Node| {
        r.find_all("w:rFonts")[0]
            .attr("w:eastAsia")
            .unwrap()
            .to_owned()
    };
    // `（一）主题活动。` is a second-level item: 楷体, as a （一） heading; the text after it 仿宋.
    assert_eq!(runs[0].text(), "（一）主题活动。");
    assert_eq!(font(runs[0]), "楷体_GB2312");
    assert_eq!(font(runs[1]), "仿宋_GB2312");
    assert!(runs[1].text().starts_with("共5项"));
    // Third-level leads (1.) stay in the body font.
    let third = *document
        .find_all("w:p")
        .iter()
        .find(|p| p.text().starts_with("1."))
        .unwrap();
    assert!(
        third
            .find_all("w:r")
            .iter()
            .all(|r| font(r) == "仿宋_GB2312")
    );
}

#[test]
fn markup_tables_become_official_tables() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = "output/2022/县退役军人事务局";
    let docx = std::fs::read(fixture.path(&format!("{dir}/数据简报.docx"))).unwrap();
    let parts = unzip(&docx);
    let document = parse(part(&parts, "word/document.xml"));
    let tables = document.find_all("w:tbl");
    assert_eq!(tables.len(), 1);
    let table = tables[0];
    let tblpr = table.child("w:tblPr").unwrap();
    // Centred, the full width of the text block, thin rules on every side and between cells.
    assert_eq!(tblpr.child("w:jc").unwrap().attr("w:val"), Some("center"));
    assert_eq!(tblpr.child("w:tblW").unwrap().attr("w:w"), Some("8845"));
    let borders = tblpr.child("w:tblBorders").unwrap();
    assert_eq!(borders.children.len(), 6);
    assert!(
        borders
            .children
            .iter()
            .all(|b| b.attr("w:val") == Some("single"))
    );
    let grid: i64 = table
        .child("w:tblGrid")
        .unwrap()
        .children
        .iter()
        .map(|c| c.attr("w:w").unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(grid, 8845);

    let rows = table.find_all("w:tr");
    let cells =
        |row: &Node| -> Vec<String> { row.find_all("w:tc").iter().map(|c| c.text()).collect() };
    assert_eq!(cells(rows[0]), ["类别", "活动项数", "参与人次"]);
    assert_eq!(cells(rows[1]), ["主题活动", "5", "1,225"]);
    assert_eq!(rows.len(), 4);
    for (i, row) in rows.iter().enumerate() {
        let trpr = row.child("w:trPr").unwrap();
        assert!(trpr.child("w:cantSplit").is_some(), "row {i} may not split");
        // Only the header repeats on every page.
        assert_eq!(trpr.child("w:tblHeader").is_some(), i == 0, "row {i}");
        for cell in row.find_all("w:tc") {
            let fonts = cell.find_all("w:rFonts")[0];
            let font = if i == 0 { "黑体" } else { "仿宋_GB2312" };
            assert_eq!(fonts.attr("w:eastAsia"), Some(font), "row {i}");
            assert_eq!(cell.find_all("w:sz")[0].attr("w:val"), Some("28"), "4号");
            let jc = cell.find_all("w:jc")[0].attr("w:val").unwrap().to_owned();
            let first = cell.text() == cells(row)[0];
            // The header centred; the markup's `---:` right-aligns the figures.
            let expected = match (i, first) {
                (0, _) => "center",
                (_, true) => "left",
                _ => "right",
            };
            assert_eq!(jc, expected, "row {i}: {}", cell.text());
        }
    }
    // The same table as tab-separated lines in the .txt and a pipe table in the .md.
    let txt = fixture.read(&format!("{dir}/数据简报.txt"));
    assert!(
        txt.contains("类别\t活动项数\t参与人次\n主题活动\t5\t1,225\n"),
        "{txt}"
    );
    let md = fixture.read(&format!("{dir}/数据简报.md"));
    assert!(
        md.contains(
            "| 类别 | 活动项数 | 参与人次 |\n| --- | --: | --: |\n| 主题活动 | 5 | 1,225 |"
        ),
        "{md}"
    );
}

#[test]
fn data_in_a_table_stays_data() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/02-活动开展情况.md",
        "# 二、活动开展情况\n\n活动明细如下。\n\n{{ 活动清单 | table([\"活动名称\", \"类别\", \"参与人数\"], headers=[\"活动\", \"类别\", \"人数\"], empty=\"—\") }}\n",
    );
    let mut sheets = support::veterans_sheets();
    let activities = support::sheet(&mut sheets, "活动清单");
    activities.rows[1][1] = support::t("甲|乙 **丙**");
    support::write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build", "--kind", "数据简报", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let txt = fixture.read("output/2022/县退役军人事务局/数据简报.txt");
    assert!(txt.contains("活动\t类别\t人数\n甲|乙 **丙**\t"), "{txt}");
    let docx = std::fs::read(fixture.path("output/2022/县退役军人事务局/数据简报.docx")).unwrap();
    let parts = unzip(&docx);
    let document = parse(part(&parts, "word/document.xml"));
    let rows = document.find_all("w:tr");
    assert_eq!(rows[1].find_all("w:tc")[0].text(), "甲|乙 **丙**");
    assert!(
        rows[1].find_all("w:b").is_empty(),
        "the asterisks are text, not bold"
    );
    assert_eq!(rows.len(), 9, "a header and the eight activities");
}

/// The column widths of the table `section` makes in the veterans' 数据简报 (its second
/// section replaced), which fill the text block; and the width in twips a column needs for
/// `ems` of 4号 text (280 an em) with both cell margins (170).
fn table_grid(section: &str) -> (Vec<i64>, impl Fn(f64) -> i64) {
    let fixture = Fixture::example();
    fixture.write("templates/数据简报/02-活动开展情况.md", section);
    let run = fixture.run(&["build", "--kind", "数据简报", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx = std::fs::read(fixture.path("output/2022/县退役军人事务局/数据简报.docx")).unwrap();
    let document = parse(part(&unzip(&docx), "word/document.xml"));
    let grid: Vec<i64> = document.find_all("w:tbl")[0]
        .child("w:tblGrid")
        .unwrap()
        .children
        .iter()
        .map(|c| c.attr("w:w").unwrap().parse().unwrap())
        .collect();
    assert_eq!(grid.iter().sum::<i64>(), 8845, "{grid:?}");
    (grid, |ems: f64| (ems * 280.0) as i64 + 170)
}

#[test]
fn a_long_cell_does_not_squeeze_short_columns_until_they_break() {
    // One long activity name beside short headers, categories, dates and a long number: the
    // short cells keep their line (`序号`, `主题教育`, `10月25日`), a number never breaks,
    // and the long name wraps instead.
    let (grid, needs) = table_grid(
        "# 二、活动开展情况\n\n活动明细如下。\n\n| 序号 | 活动名称 | 类别 | 日期 | 参与人数 |\n| --- | --- | --- | --- | --: |\n| 1 | 纪念中国人民志愿军入朝作战七十二周年文艺演出暨主题宣讲报告会 | 主题教育 | 10月25日 | 1234567.5 |\n",
    );
    // 序号 and 参与人数 (headers), 主题教育, 10月25日 (with Word's space beside digits), and
    // 1234567.5 in Times New Roman (digits of half an em, a point of a quarter).
    for (column, ems) in [(0, 2.0), (2, 4.0), (3, 4.75), (4, 4.25)] {
        assert!(grid[column] >= needs(ems), "column {column}: {grid:?}");
    }
    // The long name takes what is left, and wraps.
    assert!(grid[1] < needs(30.0) && grid[1] > needs(8.0), "{grid:?}");
}

#[test]
fn a_note_stands_in_brackets_two_characters_in_under_the_date() {
    // 附注 (GB/T 9704-2012 7.3.6): the veterans have no signature or date, so it follows an
    // empty line under the body; brackets typed half-width become full-width.
    let fixture = Fixture::example();
    let manifest = "templates/意识形态工作/report.toml";
    let text = fixture
        .read(manifest)
        .replace(
            "date = \"概况.成文日期\"\n",
            "date = \"概况.成文日期\"\nnote = \"概况.附注\"\n",
        )
        .replace(
            "  { name = \"印发日期\", type = \"date\", required = false },\n",
            "  { name = \"印发日期\", type = \"date\", required = false },\n  { name = \"附注\", required = false },\n",
        );
    fixture.write(manifest, &text);
    let mut sheets = support::veterans_sheets();
    support::sheet(&mut sheets, "概况").rows.push(vec![
        support::t("附注"),
        support::t("(联系人：张三，电话：1234567)"),
    ]);
    support::write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = "output/2022/县退役军人事务局";
    let note = "（联系人：张三，电话：1234567）";
    let txt = fixture.read(&format!("{dir}/意识形态工作.txt"));
    assert!(txt.ends_with(&format!("。\n\n{note}\n")), "{txt}");
    assert!(
        fixture
            .read(&format!("{dir}/意识形态工作.md"))
            .contains(note)
    );
    let docx = std::fs::read(fixture.path(&format!("{dir}/意识形态工作.docx"))).unwrap();
    let document = parse(part(&unzip(&docx), "word/document.xml"));
    let paragraphs = document.find_all("w:p");
    let at = paragraphs
        .iter()
        .position(|p| p.text() == note)
        .expect("the note's paragraph");
    assert_eq!(paragraphs[at - 1].text(), "", "an empty line above it");
    let ind = ppr(paragraphs[at]).child("w:ind").unwrap();
    assert_eq!(ind.attr("w:firstLine"), Some("630"), "two characters in");
    // A department that leaves it blank has none.
    let other = fixture.read("output/2022/县教育体育局/意识形态工作.txt");
    assert!(!other.contains("联系人"), "{other}");

    // Under a date: on the next line, no empty line between.
    let mut sheets = support::culture_sheets();
    support::sheet(&mut sheets, "概况")
        .rows
        .push(vec![support::t("附注"), support::t("联系人：李四")]);
    support::write_xlsx(
        &fixture.path("data/2022/县文化广电旅游局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = "output/2022/县文化广电旅游局";
    let txt = fixture.read(&format!("{dir}/意识形态工作.txt"));
    assert!(
        txt.ends_with("县文化广电旅游局\n2023年1月5日\n（联系人：李四）\n"),
        "{txt}"
    );
    let docx = std::fs::read(fixture.path(&format!("{dir}/意识形态工作.docx"))).unwrap();
    let document = parse(part(&unzip(&docx), "word/document.xml"));
    let texts: Vec<String> = document.find_all("w:p").iter().map(|p| p.text()).collect();
    assert_eq!(
        texts[texts.len() - 3..],
        ["县文化广电旅游局", "2023年1月5日", "（联系人：李四）"]
    );
}

#[test]
fn on_a_wide_table_headers_wrap_before_a_date_or_a_number_breaks() {
    // Eight four-character headers alone need more than the text block: they wrap, while the
    // date and the number keep their lines.
    let (grid, needs) = table_grid(
        "# 二、活动开展情况\n\n| 活动名称 | 开展日期 | 活动类别 | 主办单位 | 参与人数 | 覆盖村数 | 宣讲场次 | 经费万元 |\n| --- | :---: | :---: | --- | ---: | ---: | ---: | ---: |\n| 理论宣讲进万家 | 2023年10月25日 | 主题教育 | 县委宣传部 | 1234567 | 128 | 36 | 12.5 |\n",
    );
    // 2023年10月25日: 8 digits, 3 characters, 5 spaces beside digits; 1234567: 3.5 ems.
    assert!(grid[1] >= needs(8.25), "{grid:?}");
    assert!(grid[4] >= needs(3.5), "{grid:?}");
    assert!(grid.iter().all(|w| *w >= needs(1.0)), "{grid:?}");
}

/// The education bureau's report is a complete document: a 版头 of a report to a superior, an
/// attachment holding a table, a 版记.
fn education() -> (Fixture, Node) {
    let fixture = example();
    let (parts, _) = built(&fixture, "县教育体育局");
    let document = parse(part(&parts, "word/document.xml"));
    (fixture, document)
}

fn ppr(p: &Node) -> &Node {
    p.child("w:pPr").unwrap()
}

#[test]
fn a_short_issuer_stops_at_42_points() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    support::set_record(&mut sheets, "概况", "发文机关标志", support::t("县局文件"));
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--kind", "意识形态工作", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (parts, _) = built(&fixture, "县教育体育局");
    let document = parse(part(&parts, "word/document.xml"));
    let body = document.child("w:body").unwrap();
    let issuer = body.children.iter().find(|c| c.name == "w:p").unwrap();
    assert_eq!(issuer.text(), "县局文件");
    // Four characters would fit one line at far more; 42 pt (84 half-points) is the most.
    let run = issuer.find_all("w:rPr")[0];
    assert_eq!(run.child("w:sz").unwrap().attr("w:val"), Some("84"));
}

#[test]
fn the_letterhead_is_red_centred_and_ruled() {
    let (_, document) = education();
    let body = document.child("w:body").unwrap();
    let paragraphs: Vec<&Node> = body.children.iter().filter(|c| c.name == "w:p").collect();

    // 发文机关标志: red 小标宋, centred, its top 35 mm (1984 twips) below the text block's,
    // as large as fits one line (12 characters in 156 mm: 36.5 pt) and at most 42 pt.
    let issuer = paragraphs[0];
    assert_eq!(issuer.text(), "中共县教育体育局党组文件");
    let run = issuer.find_all("w:rPr")[0];
    assert_eq!(run.child("w:color").unwrap().attr("w:val"), Some("FF0000"));
    assert_eq!(
        run.child("w:rFonts").unwrap().attr("w:eastAsia"),
        Some("方正小标宋简体")
    );
    assert_eq!(run.child("w:sz").unwrap().attr("w:val"), Some("73"));
    let spacing = ppr(issuer).child("w:spacing").unwrap();
    assert_eq!(spacing.attr("w:before"), Some("1984"));
    assert_eq!(
        ppr(issuer).child("w:jc").unwrap().attr("w:val"),
        Some("center")
    );

    // Two blank lines, then the 发文字号 one character in from the left and 签发人 ending one
    // character in from the right, on one line; the red rule under it.
    assert!(paragraphs[1].text().is_empty() && paragraphs[2].text().is_empty());
    let number = paragraphs[3];
    let tabs: Vec<(Option<&str>, Option<&str>)> = ppr(number)
        .child("w:tabs")
        .unwrap()
        .children
        .iter()
        .map(|t| (t.attr("w:val"), t.attr("w:pos")))
        .collect();
    assert_eq!(
        tabs,
        [(Some("left"), Some("315")), (Some("right"), Some("8530"))]
    );
    assert_eq!(line_of(number), "县教体党〔2023〕1号\t签发人：李明");
    let runs = number.find_all("w:r");
    let font = |r: &Node| {
        r.find_all("w:rFonts")[0]
            .attr("w:eastAsia")
            .unwrap()
            .to_owned()
    };
    let signer = runs.iter().find(|r| r.text() == "李明").unwrap();
    assert_eq!(font(signer), "楷体_GB2312");
    let label = runs.iter().find(|r| r.text() == "签发人：").unwrap();
    assert_eq!(font(label), "仿宋_GB2312");
    let rule = ppr(number)
        .child("w:pBdr")
        .unwrap()
        .child("w:bottom")
        .unwrap();
    assert_eq!(rule.attr("w:color"), Some("FF0000"));
    assert_eq!(rule.attr("w:val"), Some("single"));
    // 4 mm under the characters (measured in LibreOffice's PDF): 5 pt under the line.
    assert_eq!(rule.attr("w:space"), Some("5"));
    assert!(ppr(number).child("w:ind").unwrap().attr("w:left").is_none());

    // The title two blank lines under the rule.
    assert!(paragraphs[4].text().is_empty() && paragraphs[5].text().is_empty());
    assert_eq!(
        ppr(paragraphs[6]).child("w:pStyle").unwrap().attr("w:val"),
        Some("Title")
    );
}

#[test]
fn the_attachment_is_named_under_the_body_and_starts_a_page() {
    let (_, document) = education();
    let body = document.child("w:body").unwrap();
    let paragraphs: Vec<&Node> = body.children.iter().filter(|c| c.name == "w:p").collect();
    let name = "县教育体育局2022年意识形态工作活动清单";
    // 附件说明: two characters in, a wrapped name under its first character: left indent 2 + 3
    // characters of 315 twips, the first line hanging the 3 of `附件：`.
    let at = paragraphs
        .iter()
        .position(|p| p.text() == format!("附件：{name}"))
        .unwrap();
    assert!(paragraphs[at - 1].text().is_empty(), "one blank line above");
    let ind = ppr(paragraphs[at]).child("w:ind").unwrap();
    assert_eq!(
        (ind.attr("w:left"), ind.attr("w:hanging")),
        (Some("1575"), Some("945"))
    );
    assert_eq!(
        paragraphs[at + 2].text(),
        "中共县教育体育局党组",
        "then the signature"
    );

    // The attachment: a new page, `附件` in 黑体 flush left, its title on the third line.
    let label = paragraphs.iter().position(|p| p.text() == "附件").unwrap();
    assert!(ppr(paragraphs[label]).child("w:pageBreakBefore").is_some());
    let font = paragraphs[label].find_all("w:rFonts")[0].attr("w:eastAsia");
    assert_eq!(font, Some("黑体"));
    assert!(paragraphs[label + 1].text().is_empty());
    assert_eq!(paragraphs[label + 2].text(), name);
    assert_eq!(
        ppr(paragraphs[label + 2])
            .child("w:pStyle")
            .unwrap()
            .attr("w:val"),
        Some("Title")
    );
    // Its table: the activities, after the title.
    let tables: Vec<&Node> = body.children.iter().filter(|c| c.name == "w:tbl").collect();
    let rows = tables[0].find_all("w:tr");
    let cells: Vec<String> = rows[1].find_all("w:tc").iter().map(|c| c.text()).collect();
    assert_eq!(cells, ["1", "3月1日", "开学第一课", "主题教育", "41,000"]);
    assert_eq!(rows.len(), 4);
}

#[test]
fn the_imprint_sits_on_the_foot_of_the_last_page_between_rules() {
    let (fixture, document) = education();
    let body = document.child("w:body").unwrap();
    let tables: Vec<&Node> = body.children.iter().filter(|c| c.name == "w:tbl").collect();
    let imprint = *tables.last().unwrap();
    let tblpr = imprint.child("w:tblPr").unwrap();
    // Anchored to the bottom of the text block, as wide as it.
    let anchor = tblpr.child("w:tblpPr").unwrap();
    assert_eq!(anchor.attr("w:vertAnchor"), Some("margin"));
    assert_eq!(anchor.attr("w:tblpYSpec"), Some("bottom"));
    assert_eq!(tblpr.child("w:tblW").unwrap().attr("w:w"), Some("8845"));
    // Rules: 0.35 mm first and last (8 eighths of a point), 0.25 mm between (6); none upright.
    let borders = tblpr.child("w:tblBorders").unwrap();
    let size = |side: &str| borders.child(side).unwrap().attr("w:sz").map(str::to_owned);
    assert_eq!(size("w:top").as_deref(), Some("8"));
    assert_eq!(size("w:bottom").as_deref(), Some("8"));
    assert_eq!(size("w:insideH").as_deref(), Some("6"));
    for side in ["w:left", "w:right", "w:insideV"] {
        assert_eq!(borders.child(side).unwrap().attr("w:val"), Some("nil"));
    }
    let rows = imprint.find_all("w:tr");
    assert_eq!(rows.len(), 2);
    // 抄送 one 4号 character (280 twips) in on both sides, a wrapped line after the colon
    // (`抄送：`, three characters of 280 less 5 twips of spacing).
    let cc = rows[0].find_all("w:p")[0];
    assert_eq!(cc.text(), "抄送：县委办公室，县政府办公室。");
    let ind = ppr(cc).child("w:ind").unwrap();
    assert_eq!(
        (
            ind.attr("w:left"),
            ind.attr("w:hanging"),
            ind.attr("w:right")
        ),
        (Some("1105"), Some("825"), Some("280"))
    );
    // 印发机关 one character in from the left, 印发日期 one in from the right.
    let printed = rows[1].find_all("w:p")[0];
    assert_eq!(
        line_of(printed),
        "中共县教育体育局党组办公室\t2023年1月12日印发"
    );
    let tabs: Vec<Option<&str>> = ppr(printed)
        .child("w:tabs")
        .unwrap()
        .children
        .iter()
        .map(|t| t.attr("w:pos"))
        .collect();
    assert_eq!(tabs, [Some("280"), Some("8565")]);
    for row in &rows {
        for run in row.find_all("w:rPr") {
            assert_eq!(run.child("w:sz").unwrap().attr("w:val"), Some("28"), "4号");
            assert_eq!(
                run.child("w:rFonts").unwrap().attr("w:eastAsia"),
                Some("仿宋_GB2312")
            );
        }
    }
    // The other departments fill in none of it and have none of it.
    let (parts, txt) = built(&fixture, "县退役军人事务局");
    let veterans = parse(part(&parts, "word/document.xml"));
    assert!(veterans.find_all("w:tbl").is_empty());
    assert!(veterans.find_all("w:pBdr").is_empty());
    assert_eq!(txt, support::reference());
}

#[test]
fn copy_number_secrecy_and_urgency_sit_flush_left_above_the_issuer() {
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/意识形态工作/report.toml");
    let manifest = manifest
        .replace(
            "signer = \"概况.签发人\"",
            "signer = \"概况.签发人\"\ncopy_number = \"概况.份号\"\nsecrecy = \"概况.密级\"\nurgency = \"概况.紧急程度\"",
        )
        .replace(
            "  { name = \"附活动清单\"",
            "  { name = \"份号\", required = false },\n  { name = \"密级\", required = false },\n  { name = \"紧急程度\", required = false },\n  { name = \"附活动清单\"",
        );
    fixture.write("templates/意识形态工作/report.toml", &manifest);
    let mut sheets = support::education_sheets();
    let general = support::sheet(&mut sheets, "概况");
    for (key, value) in [("份号", "7"), ("密级", "秘密★1年"), ("紧急程度", "特急")] {
        general.rows.push(vec![support::t(key), support::t(value)]);
    }
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (parts, txt) = built(&fixture, "县教育体育局");
    assert!(
        txt.starts_with("000007\n秘密★1年\n特急\n中共县教育体育局党组文件\n"),
        "{txt}"
    );
    let document = parse(part(&parts, "word/document.xml"));
    let paragraphs = document.find_all("w:p");
    let font = |p: &Node| {
        p.find_all("w:rFonts")[0]
            .attr("w:eastAsia")
            .unwrap()
            .to_owned()
    };
    for (i, (text, face)) in [
        ("000007", "仿宋_GB2312"),
        ("秘密★1年", "黑体"),
        ("特急", "黑体"),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(paragraphs[i].text(), text);
        assert_eq!(font(paragraphs[i]), face);
        assert_eq!(
            ppr(paragraphs[i]).child("w:jc").unwrap().attr("w:val"),
            Some("left")
        );
        assert_eq!(
            paragraphs[i].find_all("w:sz")[0].attr("w:val"),
            Some("32"),
            "3号"
        );
    }
    // The issuer stays 35 mm down: three lines of 579 twips are already above it.
    let before = ppr(paragraphs[3])
        .child("w:spacing")
        .unwrap()
        .attr("w:before");
    assert_eq!(before, Some("247"));
}

#[test]
fn two_tables_in_a_row_stay_two_tables() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/02-活动开展情况.md",
        "# 二、活动开展情况\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n\n| 丙 |\n| --- |\n| 3 |\n",
    );
    let run = fixture.run(&["build", "--kind", "数据简报", "--format", "docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx = std::fs::read(fixture.path("output/2022/县退役军人事务局/数据简报.docx")).unwrap();
    let parts = unzip(&docx);
    let document = parse(part(&parts, "word/document.xml"));
    let body = document.child("w:body").unwrap();
    let names: Vec<&str> = body.children.iter().map(|c| c.name.as_str()).collect();
    let first = names.iter().position(|n| *n == "w:tbl").unwrap();
    // Word joins tables with nothing between them: a paragraph keeps them apart.
    assert_eq!(&names[first..first + 3], ["w:tbl", "w:p", "w:tbl"]);
}

#[test]
fn a_line_break_in_a_one_line_value_is_joined() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    // Alt+Enter in the cell.
    support::set_record(
        &mut sheets,
        "概况",
        "抄送",
        support::t("县委办公室，\n县政府办公室"),
    );
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--dept", "县教育体育局", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let txt = fixture.read("output/2022/县教育体育局/意识形态工作.txt");
    assert!(
        txt.contains("\n抄送：县委办公室，县政府办公室。\n"),
        "{txt}"
    );
    // A list ended with another mark still ends with one 。.
    for typed in [
        "县委办；县政府办；",
        "县委办；县政府办!",
        "县委办；县政府办 、",
    ] {
        support::set_record(&mut sheets, "概况", "抄送", support::t(typed));
        support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
        let run = fixture.run(&["build", "--dept", "县教育体育局", "--format", "txt"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let txt = fixture.read("output/2022/县教育体育局/意识形态工作.txt");
        assert!(
            txt.contains("\n抄送：县委办；县政府办。\n"),
            "{typed}: {txt}"
        );
    }
}
