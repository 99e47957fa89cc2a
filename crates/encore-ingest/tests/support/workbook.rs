//! Small `.xlsx` workbooks built in tests from hand-written XML parts, zipped with the `zip`
//! crate: the sheets' `sheetData`, shared strings, and a style sheet whose style 1 is the date
//! format 14 (`m/d/yyyy`) and style 2 a date-and-time format, in plain or `x:`-prefixed XML.

#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// How the workbook's writer spells the spreadsheet elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// `<worksheet xmlns="…main">`, as Excel writes.
    Plain,
    /// `<x:worksheet xmlns:x="…main">`, as some other writers do.
    Prefixed,
}

/// A workbook's sheets (name and the inside of `sheetData`, written without prefix) and its
/// shared strings.
pub struct Workbook<'a> {
    pub writer: Writer,
    pub sheets: Vec<(&'a str, &'a str)>,
    pub shared_strings: Vec<&'a str>,
}

impl Workbook<'_> {
    /// The `.xlsx` bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut add = |name: &str, content: &str| {
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        };
        add("[Content_Types].xml", &self.content_types());
        add(
            "_rels/.rels",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        );
        add("xl/_rels/workbook.xml.rels", &self.workbook_relationships());
        add("xl/workbook.xml", &self.spreadsheet_part("workbook", &self.sheet_list()));
        for (index, (_, sheet_data)) in self.sheets.iter().enumerate() {
            let body = format!("<sheetData>{sheet_data}</sheetData>");
            add(&format!("xl/worksheets/sheet{}.xml", index + 1), &self.spreadsheet_part("worksheet", &body));
        }
        let strings: String = self.shared_strings.iter().map(|text| format!("<si><t>{text}</t></si>")).collect();
        add("xl/sharedStrings.xml", &self.spreadsheet_part("sst", &strings));
        let styles = r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/></cellXfs>"#;
        add("xl/styles.xml", &self.spreadsheet_part("styleSheet", styles));
        zip.finish().unwrap().into_inner()
    }

    fn content_types(&self) -> String {
        let sheets: String = (1..=self.sheets.len())
            .map(|number| {
                format!(
                    r#"<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#
        )
    }

    fn workbook_relationships(&self) -> String {
        let sheets: String = (1..=self.sheets.len())
            .map(|number| {
                format!(
                    r#"<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{number}.xml"/>"#
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheets}<Relationship Id="rIdStrings" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdStyles" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>"#
        )
    }

    fn sheet_list(&self) -> String {
        let sheets: String = self
            .sheets
            .iter()
            .enumerate()
            .map(|(index, (name, _))| {
                format!(r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#, index + 1, index + 1)
            })
            .collect();
        format!("<sheets>{sheets}</sheets>")
    }

    /// A part in the spreadsheet namespace: `root` around `body`, every element prefixed `x:`
    /// for [`Writer::Prefixed`].
    fn spreadsheet_part(&self, root: &str, body: &str) -> String {
        let declaration = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
        match self.writer {
            Writer::Plain => {
                format!(r#"{declaration}<{root} xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">{body}</{root}>"#)
            }
            Writer::Prefixed => {
                let body = body.replace("</", "\u{0}").replace('<', "<x:").replace('\u{0}', "</x:");
                format!(r#"{declaration}<x:{root} xmlns:x="{MAIN}" xmlns:r="{RELATIONSHIPS}">{body}</x:{root}>"#)
            }
        }
    }
}

/// A workbook of one sheet named `Sheet1`.
pub fn one_sheet<'a>(writer: Writer, sheet_data: &'a str, shared_strings: &[&'a str]) -> Vec<u8> {
    Workbook { writer, sheets: vec![("Sheet1", sheet_data)], shared_strings: shared_strings.to_vec() }.to_bytes()
}

/// A Spotify daily chart as a workbook: the header, a good row (streams 95514) on sheet row 2, an
/// empty row, and a row whose streams are `12a` on sheet row 4.
pub fn spotify_daily(writer: Writer) -> Vec<u8> {
    let header: String = (0..9)
        .map(|column| format!(r#"<c r="{}1" t="s"><v>{column}</v></c>"#, char::from(b'A' + column as u8)))
        .collect();
    let row = |number: u32, streams: &str| {
        format!(
            r#"<row r="{number}"><c r="A{number}"><v>{}</v></c><c r="B{number}" t="s"><v>9</v></c><c r="C{number}" t="s"><v>10</v></c><c r="D{number}" t="s"><v>11</v></c><c r="E{number}" t="s"><v>12</v></c><c r="F{number}"><v>1</v></c><c r="G{number}"><v>2</v></c><c r="H{number}"><v>30</v></c><c r="I{number}" {streams}</c></row>"#,
            number - 1
        )
    };
    let rows = format!(r#"<row r="1">{header}</row>{}{}"#, row(2, "><v>95514</v>"), row(4, r#"t="s"><v>13</v>"#));
    let strings = [
        "rank",
        "uri",
        "artist_names",
        "track_name",
        "source",
        "peak_rank",
        "previous_rank",
        "days_on_chart",
        "streams",
        "spotify:track:2BPXILn0MqOe5WroVXlvN1",
        "AILEE",
        "I Will Go To You Like the First Snow",
        "Warner",
        "12a",
    ];
    one_sheet(writer, &rows, &strings)
}
