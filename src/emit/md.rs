//! `.md`: the document as normalised CommonMark, formatted by comrak from the model so that
//! escaping is right: the title as `#`, the document's headings one level below it.

use comrak::nodes::{AstNode, NodeHeading, NodeTable, NodeValue, TableAlignment};
use comrak::{Arena, format_commonmark};

use crate::document::{Align, Block, Document, Run, Table, markup_options};

pub fn write(document: &Document) -> String {
    let arena = Arena::new();
    let root = arena.alloc(AstNode::from(NodeValue::Document));
    let plain = |text: &str| Block::Paragraph {
        runs: Run::plain(text),
    };
    // The 版头's lines, as paragraphs before the title.
    let mut head = Vec::new();
    if let Some(h) = &document.head {
        head.extend(
            [&h.copy_number, &h.secrecy, &h.urgency]
                .into_iter()
                .flatten()
                .cloned(),
        );
        head.push(h.issuer.clone());
        let signer = h.signer.as_ref().map(|s| format!("签发人：{s}"));
        let line: Vec<String> = [h.number.clone(), signer].into_iter().flatten().collect();
        if !line.is_empty() {
            head.push(line.join("　　"));
        }
    }
    append(
        &arena,
        root,
        &head.iter().map(|l| plain(l)).collect::<Vec<_>>(),
    );
    root.append(title_node(&arena, &document.title));
    let front = document.addressee.as_deref().map(plain);
    let attachment_note = document.attachment_note();
    let tail = attachment_note.iter().map(|l| plain(l)).chain(
        [&document.signature, &document.date, &document.note]
            .into_iter()
            .flatten()
            .map(|t| plain(t)),
    );
    let blocks: Vec<Block> = front
        .into_iter()
        .chain(document.blocks.iter().cloned())
        .chain(tail)
        .collect();
    append(&arena, root, &blocks);
    for (i, attachment) in document.attachments.iter().enumerate() {
        append(&arena, root, &[plain(&document.attachment_label(i))]);
        root.append(title_node(&arena, &attachment.title));
        append(&arena, root, &attachment.blocks);
    }
    if let Some(imprint) = &document.imprint {
        let cc = imprint.cc.as_ref().map(|cc| format!("抄送：{cc}"));
        let printed: Vec<String> = [&imprint.printer, &imprint.print_date]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let lines: Vec<Block> = cc
            .into_iter()
            .chain((!printed.is_empty()).then(|| printed.join("　　")))
            .map(|l| plain(&l))
            .collect();
        append(&arena, root, &lines);
    }
    let mut out = String::new();
    format_commonmark(root, &markup_options(), &mut out).expect("writing to a String");
    out
}

fn title_node<'a>(arena: &'a Arena<'a>, title: &str) -> &'a AstNode<'a> {
    let node = heading(arena, 1);
    node.append(arena.alloc(AstNode::from(NodeValue::Text(title.to_owned().into()))));
    node
}

/// Appends blocks, the document's headings one level below the title.
fn append<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, blocks: &[Block]) {
    for block in blocks {
        let node = match block {
            Block::Heading { level, .. } => heading(arena, level + 1),
            Block::Paragraph { .. } => arena.alloc(AstNode::from(NodeValue::Paragraph)),
            Block::Table(table) => {
                root.append(table_node(arena, table));
                continue;
            }
        };
        for run in block.runs() {
            node.append(inline(arena, run));
        }
        root.append(node);
    }
}

fn heading<'a>(arena: &'a Arena<'a>, level: u8) -> &'a AstNode<'a> {
    arena.alloc(AstNode::from(NodeValue::Heading(NodeHeading {
        level,
        setext: false,
        closed: false,
    })))
}

/// A pipe table; comrak escapes `|` in the cells' text.
fn table_node<'a>(arena: &'a Arena<'a>, table: &Table) -> &'a AstNode<'a> {
    let alignments = table
        .align
        .iter()
        .map(|a| match a {
            Align::Default => TableAlignment::None,
            Align::Left => TableAlignment::Left,
            Align::Center => TableAlignment::Center,
            Align::Right => TableAlignment::Right,
        })
        .collect();
    let node = arena.alloc(AstNode::from(NodeValue::Table(Box::new(NodeTable {
        alignments,
        num_columns: table.header.len(),
        num_rows: table.rows.len() + 1,
        num_nonempty_cells: 0,
    }))));
    for (i, row) in table.all_rows().enumerate() {
        let row_node = arena.alloc(AstNode::from(NodeValue::TableRow(i == 0)));
        for cell in row {
            let cell_node = arena.alloc(AstNode::from(NodeValue::TableCell));
            for run in cell {
                cell_node.append(inline(arena, run));
            }
            row_node.append(cell_node);
        }
        node.append(row_node);
    }
    node
}

fn inline<'a>(arena: &'a Arena<'a>, run: &Run) -> &'a AstNode<'a> {
    let text = arena.alloc(AstNode::from(NodeValue::Text(run.text.clone().into())));
    if !run.bold {
        return text;
    }
    let strong = arena.alloc(AstNode::from(NodeValue::Strong));
    strong.append(text);
    strong
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse_markup;

    #[test]
    fn markdown_reads_back_as_the_same_document() {
        let run = |text: &str, bold| Run {
            text: text.into(),
            bold,
        };
        let document = Document {
            head: None,
            attachments: Vec::new(),
            imprint: None,
            title: "县**局关于2022年工作的报告".into(),
            addressee: None,
            signature: None,
            date: None,
            note: None,
            blocks: vec![
                Block::Heading {
                    level: 1,
                    runs: vec![run("一、工作总体情况", false)],
                },
                Block::Paragraph {
                    runs: vec![
                        run("1.坚持培根铸魂。", true),
                        run("承办**县 ***_[x]_ <b> #1", false),
                    ],
                },
                Block::Paragraph {
                    runs: vec![run("1. 不是列表", false)],
                },
                Block::Paragraph {
                    runs: vec![run("# 不是标题\u{2002}", false)],
                },
                Block::Table(Table {
                    align: vec![Align::Default, Align::Center, Align::Right],
                    header: vec![
                        vec![run("类别", false)],
                        vec![run("项数", false)],
                        vec![run("a|b", true)],
                    ],
                    rows: vec![vec![
                        vec![run("主题|活动 **x**", false)],
                        vec![run("5", false)],
                        vec![run("3,560", false)],
                    ]],
                }),
            ],
        };
        let markdown = write(&document);
        let mut blocks = Vec::new();
        parse_markup(&markdown, &mut blocks).unwrap();
        let title = blocks.remove(0);
        assert_eq!(title.text(), document.title);
        let shifted: Vec<Block> = document
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, runs } => Block::Heading {
                    level: level + 1,
                    runs: runs.clone(),
                },
                other => other.clone(),
            })
            .collect();
        assert_eq!(blocks, shifted, "{markdown}");
    }
}
