"""The DNA 3 database argmine writes, read with the SQL DNA itself runs (DNA cannot run here: no Java).

Every query below is copied verbatim from DNA 3's ``dna/src/main/java/sql/Sql.java`` (leifeld/dna, stored
version 03d731712548e5f4640467df40f2250e812f291f, SQLite branch where the source has one): what DNA runs
when it opens a database and selects the coder (``getCoder``, ``authenticate``), lists the documents
(``countDocuments``, ``getTableDocuments``, ``getDocuments``, ``getDocumentText``), paints statements in
a text (``getShallowStatements``), lists statements (``getStatements``), opens one (``getStatement``) and
lists statement types and their variables (``getStatementTypes``). Where DNA splices an ID list into the
SQL, the test does the same. Rows are read by the column names DNA's Java code reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import test_inspect
from test_inspect import ALPHA, BETA, CLAIMS, make_results

GET_CODER = "SELECT * FROM CODERS WHERE ID = ?;"
GET_CODER_RELATIONS = "SELECT * FROM CODERRELATIONS WHERE Coder = ?;"
GET_VERSION = "SELECT Value FROM SETTINGS WHERE Property = 'version';"
AUTHENTICATE = "SELECT Password FROM CODERS WHERE ID = ?;"
COUNT_DOCUMENTS = "SELECT COUNT(*) FROM DOCUMENTS;"
TABLE_DOCUMENTS = ("SELECT DOCUMENTS.ID, Title, Author, Source, Section, Type, Notes, Date, "
                   "CODERS.ID AS CoderId, Name AS CoderName, Red, Green, Blue, "
                   "COALESCE(Frequency, 0) AS Frequency "
                   "FROM DOCUMENTS LEFT JOIN "
                   "(SELECT DocumentId, COUNT(DocumentId) AS Frequency FROM STATEMENTS GROUP BY DocumentId) AS C ON C.DocumentId = DOCUMENTS.ID "
                   "LEFT JOIN CODERS ON CODERS.ID = DOCUMENTS.Coder WHERE DOCUMENTS.ID IN(")
GET_DOCUMENTS = "SELECT * FROM DOCUMENTS WHERE ID IN ("
DOCUMENT_TEXT = "SELECT Text FROM DOCUMENTS WHERE ID = ?;"
SHALLOW_STATEMENTS = ("SELECT S.ID, S.Start, S.Stop, S.StatementTypeId, "
                      "T.Label AS StatementTypeLabel, T.Red AS StatementTypeRed, "
                      "T.Green AS StatementTypeGreen, T.Blue AS StatementTypeBlue, "
                      "S.Coder, C.Red AS CoderRed, C.Green AS CoderGreen, C.Blue AS CoderBlue "
                      "FROM STATEMENTS S LEFT JOIN CODERS C ON C.ID = S.Coder "
                      "LEFT JOIN STATEMENTTYPES T ON T.ID = S.StatementTypeId "
                      "WHERE S.DocumentId = ? ORDER BY Start ASC;")
SUBSTRING = "SUBSTRING(DOCUMENTS.Text, Start + 1, Stop - Start) AS Text "
STATEMENT_HEAD = ("SELECT STATEMENTS.ID AS StatementId, StatementTypeId, STATEMENTTYPES.Label AS StatementTypeLabel, "
                  "STATEMENTTYPES.Red AS StatementTypeRed, STATEMENTTYPES.Green AS StatementTypeGreen, "
                  "STATEMENTTYPES.Blue AS StatementTypeBlue, Start, Stop, STATEMENTS.Coder AS CoderId, "
                  "CODERS.Name AS CoderName, CODERS.Red AS CoderRed, CODERS.Green AS CoderGreen, CODERS.Blue AS CoderBlue, "
                  "DocumentId, DOCUMENTS.Date AS Date, " + SUBSTRING + "FROM STATEMENTS "
                  "INNER JOIN CODERS ON STATEMENTS.Coder = CODERS.ID "
                  "INNER JOIN STATEMENTTYPES ON STATEMENTS.StatementTypeId = STATEMENTTYPES.ID "
                  "INNER JOIN DOCUMENTS ON DOCUMENTS.ID = STATEMENTS.DocumentId ")
GET_STATEMENTS_Q1 = STATEMENT_HEAD + "WHERE StatementId IN ({ids}) ORDER BY DOCUMENTS.DATE ASC;"
GET_STATEMENTS_Q2 = "SELECT ID FROM STATEMENTTYPES;"
GET_STATEMENTS_Q3 = "SELECT ID, Variable, DataType FROM VARIABLES;"
GET_STATEMENTS_Q4 = {
    "short text": ("SELECT DATASHORTTEXT.StatementId, VARIABLES.ID AS VariableId, ENTITIES.ID AS EntityId, ENTITIES.Value AS Value, "
                   "ENTITIES.Red AS Red, ENTITIES.Green AS Green, ENTITIES.Blue AS Blue, ENTITIES.ChildOf AS ChildOf FROM DATASHORTTEXT "
                   "INNER JOIN VARIABLES ON VARIABLES.ID = DATASHORTTEXT.VariableId "
                   "INNER JOIN ENTITIES ON ENTITIES.VariableId = VARIABLES.ID AND ENTITIES.ID = DATASHORTTEXT.Entity "
                   "WHERE VARIABLES.StatementTypeId = ? AND DATASHORTTEXT.StatementId IN ({ids}) ORDER BY 1, 2 ASC;"),
    "long text": ("SELECT DATALONGTEXT.StatementId, VARIABLES.ID AS VariableId, DATALONGTEXT.Value FROM DATALONGTEXT "
                  "INNER JOIN VARIABLES ON VARIABLES.ID = DATALONGTEXT.VariableId "
                  "WHERE VARIABLES.StatementTypeId = ? AND DATALONGTEXT.StatementId IN ({ids}) ORDER BY 1, 2 ASC;"),
    "boolean": ("SELECT DATABOOLEAN.StatementId, VARIABLES.ID AS VariableId, DATABOOLEAN.Value FROM DATABOOLEAN "
                "INNER JOIN VARIABLES ON VARIABLES.ID = DATABOOLEAN.VariableId "
                "WHERE VARIABLES.StatementTypeId = ? AND DATABOOLEAN.StatementId IN ({ids}) ORDER BY 1, 2 ASC;"),
    "integer": ("SELECT DATAINTEGER.StatementId, VARIABLES.ID AS VariableId, DATAINTEGER.Value FROM DATAINTEGER "
                "INNER JOIN VARIABLES ON VARIABLES.ID = DATAINTEGER.VariableId "
                "WHERE VARIABLES.StatementTypeId = ? AND DATAINTEGER.StatementId IN ({ids}) ORDER BY 1, 2 ASC;"),
}
GET_STATEMENTS_Q5 = ("SELECT AttributeVariable, AttributeValue FROM ATTRIBUTEVALUES "
                     "INNER JOIN ATTRIBUTEVARIABLES ON ATTRIBUTEVARIABLES.ID = AttributeVariableId WHERE EntityId = ?;")
GET_STATEMENT_S1 = STATEMENT_HEAD + "WHERE STATEMENTS.ID = ?;"
GET_STATEMENT_S2 = "SELECT ID, Variable, DataType FROM VARIABLES WHERE StatementTypeId = ?;"
GET_STATEMENT_S3 = ("SELECT E.ID AS EntityId, StatementId, E.VariableId, DST.ID AS DataId, E.Value, Red, Green, Blue, ChildOf "
                    "FROM DATASHORTTEXT AS DST LEFT JOIN ENTITIES AS E ON E.ID = DST.Entity AND E.VariableId = DST.VariableId "
                    "WHERE DST.StatementId = ? AND DST.VariableId = ?;")
GET_STATEMENT_VALUE = {"long text": "SELECT Value FROM DATALONGTEXT WHERE VariableId = ? AND StatementId = ?;",
                       "integer": "SELECT Value FROM DATAINTEGER WHERE VariableId = ? AND StatementId = ?;",
                       "boolean": "SELECT Value FROM DATABOOLEAN WHERE VariableId = ? AND StatementId = ?;"}
GET_STATEMENT_S7 = ("SELECT AttributeVariable, AttributeValue FROM ATTRIBUTEVALUES AS AVAL INNER JOIN ATTRIBUTEVARIABLES AS AVAR "
                    "ON AVAL.AttributeVariableId = AVAR.ID WHERE EntityId = ?;")
STATEMENT_TYPES = "SELECT * FROM STATEMENTTYPES;"
TYPE_VARIABLES = "SELECT * FROM VARIABLES WHERE StatementTypeId = ?;"
# the columns DNA's Coder constructor reads from GET_CODER (getCoder, DNA 3 branch)
CODER_COLUMNS = ["Name", "Red", "Green", "Blue", "Refresh", "FontSize", "PopupWidth", "ColorByCoder", "PopupDecoration",
                 "PopupAutoComplete", "PermissionAddDocuments", "PermissionEditDocuments", "PermissionDeleteDocuments",
                 "PermissionImportDocuments", "PermissionAddStatements", "PermissionEditStatements",
                 "PermissionDeleteStatements", "PermissionEditAttributes", "PermissionEditRegex",
                 "PermissionEditStatementTypes", "PermissionEditCoders", "PermissionEditCoderRelations",
                 "PermissionViewOthersDocuments", "PermissionEditOthersDocuments", "PermissionViewOthersStatements",
                 "PermissionEditOthersStatements"]


def _dna_database(tmp_path: Path) -> Path:
    from argmine.inspect.export import export

    meta = tmp_path / "manifest.csv"
    meta.write_text("doc_id,genre,source\nalpha,op_ed,Example Times\nbeta,policy_brief,Wire\n", encoding="utf-8")
    path, _ = export(make_results(tmp_path / "res"), "dna", tmp_path / "claims.dna", metadata=meta)
    return path


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")  # DNA: sqds.setEnforceForeignKeys(true)
    return db


def _ids(db: sqlite3.Connection, table: str) -> str:
    return ", ".join(str(r[0]) for r in db.execute(f"SELECT ID FROM {table} ORDER BY ID"))


def get_statements(db: sqlite3.Connection) -> dict[int, dict]:
    """DNA's ``getStatements`` for every statement: header row plus {variable name: value}."""
    ids = _ids(db, "STATEMENTS")
    statements = {r["StatementId"]: {"row": r, "values": {}} for r in db.execute(GET_STATEMENTS_Q1.format(ids=ids))}
    names = {r["ID"]: (r["Variable"], r["DataType"]) for r in db.execute(GET_STATEMENTS_Q3)}
    for type_row in db.execute(GET_STATEMENTS_Q2).fetchall():
        for dtype, sql in GET_STATEMENTS_Q4.items():
            for r in db.execute(sql.format(ids=ids), (type_row["ID"],)):
                name, declared = names[r["VariableId"]]
                assert declared == dtype, f"{name} is declared {declared} but has a {dtype} value"
                if dtype == "short text":
                    attributes = {a["AttributeVariable"]: a["AttributeValue"] for a in db.execute(GET_STATEMENTS_Q5, (r["EntityId"],))}
                    assert set(attributes) == ({"Type", "Alias", "Notes"} if name != "claim" else set())
                statements[r["StatementId"]]["values"][name] = r["Value"]
    return statements


def test_dna_opens_the_database_and_authenticates_admin(tmp_path):
    from argmine.inspect.dna import check_jasypt

    db = _open(_dna_database(tmp_path))
    version = db.execute(GET_VERSION).fetchone()["Value"]
    assert not version.startswith("2")  # DNA reads the database as DNA 3, not through the DNA 2 permission table
    coder = db.execute(GET_CODER, (1,)).fetchone()
    assert coder["Name"] == "Admin" and all(coder[c] is not None for c in CODER_COLUMNS)
    assert db.execute(GET_CODER_RELATIONS, (1,)).fetchall() == []
    assert check_jasypt("admin", db.execute(AUTHENTICATE, (1,)).fetchone()["Password"])


def test_dna_lists_documents_with_dates_and_statement_counts(tmp_path):
    db = _open(_dna_database(tmp_path))
    assert db.execute(COUNT_DOCUMENTS).fetchone()[0] == 2
    rows = {r["Title"]: r for r in db.execute(TABLE_DOCUMENTS + _ids(db, "DOCUMENTS") + ");")}
    alpha, beta = rows["Talks at the <b>Border</b>"], rows["Moscow and the Deal"]
    assert (alpha["Date"], beta["Date"]) == (1740960000, 1715472000)  # 2025-03-03 and 2024-05-12, UTC epoch seconds
    assert (alpha["Frequency"], beta["Frequency"]) == (5, 3)  # statements = (claim, actor) pairs, one for an actor-less claim
    assert (alpha["CoderId"], alpha["CoderName"], alpha["Source"], alpha["Type"]) == (1, "Admin", "Example Times", "op_ed")
    full = {r["ID"]: r for r in db.execute(GET_DOCUMENTS + _ids(db, "DOCUMENTS") + ");")}
    assert {db.execute(DOCUMENT_TEXT, (i,)).fetchone()["Text"] for i in full} == {ALPHA, BETA}
    assert all(r["Coder"] == 1 and r["Author"] for r in full.values())


def test_dna_lists_statements_with_their_text_and_variables(tmp_path):
    db = _open(_dna_database(tmp_path))
    statements = get_statements(db)
    assert len(statements) == 8
    dates = [s["row"]["Date"] for s in statements.values()]
    assert dates == sorted(dates)  # ORDER BY DOCUMENTS.DATE
    by_text = {s["row"]["Text"]: s["values"] for s in statements.values()}
    assert set(by_text) == {c[1] for c in CLAIMS}  # DNA's SUBSTRING of the document is exactly the claim
    russia = by_text[CLAIMS[1][1]]
    assert russia == {"person": "Ana Test", "organization": "Example Times", "concept": "new_confrontation", "agreement": -1,
                      "actor": "Russia", "stance": "con", "claim_type": "prediction", "claim": "alpha:0001"}
    for s in statements.values():  # every variable of the statement type has a value, as DNA's popup expects
        variables = [r["Variable"] for r in db.execute(GET_STATEMENT_S2, (s["row"]["StatementTypeId"],))]
        assert sorted(s["values"]) == sorted(variables)
    one = next(iter(statements))
    head = db.execute(GET_STATEMENT_S1, (one,)).fetchone()
    assert head["StatementTypeLabel"] == "DNA Statement" and head["CoderName"] == "Admin"
    for var in db.execute(GET_STATEMENT_S2, (head["StatementTypeId"],)).fetchall():
        if var["DataType"] == "short text":
            entity = db.execute(GET_STATEMENT_S3, (one, var["ID"])).fetchone()
            assert entity["EntityId"] is not None and len(db.execute(GET_STATEMENT_S7, (entity["EntityId"],)).fetchall()) == 3
        else:
            assert db.execute(GET_STATEMENT_VALUE[var["DataType"]], (var["ID"], one)).fetchone() is not None


def test_dna_statement_types_are_the_ones_dna_seeds(tmp_path):
    db = _open(_dna_database(tmp_path))
    types = {r["Label"]: [(v["Variable"], v["DataType"]) for v in db.execute(TYPE_VARIABLES, (r["ID"],))]
             for r in db.execute(STATEMENT_TYPES).fetchall()}
    assert types["NPF Story Element"] == [(v, "short text") for v in ("narrator", "victim", "villain", "plot", "hero", "policy solution")]
    assert types["Annotation"] == [("note", "long text")]
    assert types["DNA Statement"][:4] == [("person", "short text"), ("organization", "short text"),
                                          ("concept", "short text"), ("agreement", "integer")]
    shallow = db.execute(SHALLOW_STATEMENTS, (1,)).fetchall()
    assert [r["Start"] for r in shallow] == sorted(r["Start"] for r in shallow) and shallow[0]["StatementTypeRed"] == 239


def test_astral_characters_offsets_are_java_offsets(tmp_path, monkeypatch):
    """Start/Stop are UTF-16 offsets, what DNA's Swing text pane highlights (and what DNA stores for statements
    its coders make). DNA's own SUBSTRING in SQLite counts code points, so after a character outside the BMP
    DNA's statement-table text is shifted by one per such character — for argmine's and DNA's statements alike."""
    monkeypatch.setattr(test_inspect, "ALPHA", ALPHA.replace("## Why it matters", "## Why it matters \U0001F54A"))
    db = _open(_dna_database(tmp_path))
    text = db.execute("SELECT Text FROM DOCUMENTS WHERE Title LIKE 'Talks%'").fetchone()[0]
    java = text.encode("utf-16-le")
    for s in get_statements(db).values():
        row = s["row"]
        if row["DocumentId"] != 1:
            continue
        claim = java[row["Start"] * 2:row["Stop"] * 2].decode("utf-16-le")
        assert claim in {c[1] for c in CLAIMS}
        assert row["Text"] != claim and row["Text"][:-1] == claim[1:]  # SQLite's SUBSTRING: one code point later
