"""Page extraction (split bodies, teasers and furniture, lists) and text hygiene (decoding per region,
soft hyphens, NFC, mojibake), on hand-written pages of a few hundred bytes."""

from __future__ import annotations

import unicodedata

from storyline.clean.blocks import assemble
from storyline.clean.html import extract_page
from storyline.clean.hygiene import mojibake_words, tidy
from storyline.ingest.decode import decode_text
from storyline.ingest.html import document
from storyline.pipeline import process
from storyline.records import Article

HEAD = ('<html><head><title>Harbour cranes return to Port Velmar</title></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>')
PART_ONE = ("<p>The three container cranes dismantled at Port Velmar last winter were put back into service on "
            "Tuesday, the harbour authority said, ending a six-month slowdown for the town's dockworkers.</p>"
            "<p>Engineers spent four months replacing the rusted booms and the control cabins, at a cost the "
            "authority put at 2.4 million crowns, twice the sum first announced in the spring.</p>")
PART_TWO = ("<h2>Shipping lines wait and see</h2>"
            "<p>Two shipping lines that moved their calls to Osterhaven during the works said they would decide "
            "in the spring whether to come back to Velmar, once the cranes had worked through a full season.</p>"
            "<p>The dockworkers' union welcomed the reopening and said overtime shifts would start next week, "
            "the first since the cranes were taken down in November.</p>")


def test_split_body_second_part_is_kept():
    # the body container is repeated inside a "continue reading" wrapper: trafilatura alone keeps only part one
    page = extract_page(HEAD + '<article><div class="article-content">' + PART_ONE + '</div>'
                        '<div class="paywall-continue"><div class="article-content">' + PART_TWO + '</div></div>'
                        '</article></body></html>')
    assert "rusted booms" in page.text and "overtime shifts would start" in page.text
    assert [page.text[b.start:b.end] for b in page.blocks if b.kind == "heading"] == ["Shipping lines wait and see"]


def test_listing_entries_are_not_joined():
    # two blog entries, each with its own linked title: separate articles, the second is not glued to the first
    entry = '<div class="post"><h2><a href="/{0}">{1}</a></h2><div class="entry-content">{2}</div></div>'
    page = extract_page(HEAD + "<main>" + entry.format("a", "Cranes return", PART_ONE)
                        + entry.format("b", "Lines wait", PART_TWO) + "</main></body></html>")
    assert "rusted booms" in page.text
    assert "overtime shifts would start" not in page.text


TEASERS = HEAD + """<article><h1>Harbour cranes return to Port Velmar</h1>""" + PART_ONE + """
<p>GET THE VELMAR COURIER APP BY CLICKING HERE</p>
<p><a href="/ferry">Ferry fares rise for the third time this year</a></p>
<p><a href="/quay">New quay opens in Osterhaven</a></p>
<p><a href="/strike">Dockworkers threaten strike over pay</a></p>
<p>Thanks for signing up!</p>
<p>2019-11-19T08:57:40+01:00</p>
<p><a href="/report">Read the harbour authority's report</a></p>
<p>The authority said the report would be discussed by the town council at its next sitting in December.</p>
<p><a href="/c">'VELMAR STAR' SAYS CRANE WORK KEPT HER AWAKE FOR MONTHS</a></p>
<p>A council spokesman confirmed the date of the sitting and said the public would be admitted to it.</p>
<p>Lesen Sie auch: Neue Fähre nach Osterhaven</p>
<p>Foto: Velmar Courier / Archiv</p>
<p>Zurück nach oben</p>
</article></body></html>"""


def test_teasers_promotions_and_stamps_dropped_single_link_kept():
    page = extract_page(TEASERS)
    text = page.text
    for gone in ("Ferry fares rise", "New quay opens", "threaten strike", "CLICKING HERE", "Thanks for signing up",
                 "2019-11-19T08", "VELMAR STAR", "Lesen Sie auch", "Foto:", "Zurück nach oben"):
        assert gone not in text, gone
    assert "Read the harbour authority's report" in text  # one linked line inside the text is content
    assert "discussed by the town council" in text and "public would be admitted" in text
    assert not text.startswith("Harbour cranes return")  # the headline is the title, not the body


def test_long_paragraph_printed_twice_kept_once_short_repeats_kept():
    page = extract_page(HEAD + "<article>" + PART_ONE + "<p>Ebb tide: 06:10</p>" + PART_TWO + PART_ONE
                        + "<p>Ebb tide: 06:10</p></article></body></html>")
    assert page.text.count("rusted booms") == 1
    assert page.text.count("Ebb tide: 06:10") == 2  # short lines (timetables, recipes) may repeat


def test_list_items_kept_as_paragraphs():
    page = extract_page(HEAD + "<article>" + PART_ONE + "<p>The main changes are:</p><ul>"
                        "<li>The first crossing leaves at 6.10 instead of 6.40.</li>"
                        "<li>The late crossing on Fridays is dropped until March.</li>"
                        "<li>Bicycles must be booked a day ahead on the small boat.</li></ul>"
                        + PART_TWO + "</article></body></html>")
    paragraphs = page.text.split("\n\n")
    assert "The late crossing on Fridays is dropped until March." in paragraphs
    assert paragraphs.index("The first crossing leaves at 6.10 instead of 6.40.") + 1 == \
        paragraphs.index("The late crossing on Fridays is dropped until March.")


def test_utf8_page_with_one_stray_byte_is_not_re_decoded_whole():
    body = "<p>Grüße aus Köln: die Straße ist gesperrt.</p>".encode("utf-8")
    data = b'<html><head><meta charset="utf-8"></head><body>' + body + b"<p>Caf\xe9 am Ring</p></body></html>"
    text, encoding = decode_text(data, "page.html", html=True)
    assert "Grüße aus Köln: die Straße ist gesperrt." in text  # the UTF-8 stays UTF-8
    assert "Café am Ring" in text  # only the stray byte is read as windows-1252
    assert encoding == "utf-8+cp1252" and not mojibake_words(text)


def test_stray_byte_read_in_the_code_page_of_the_page_script():
    data = "<p>Министр заявил, что переговоры продолжатся</p>".encode("utf-8") + b"<p>\xc8\xf2\xee\xe3</p>"
    text, encoding = decode_text(data, "page.html", html=True)
    assert "Министр заявил" in text and "Итог" in text and encoding == "utf-8+cp1251"


def test_legacy_page_with_utf8_island_and_windows_1252_punctuation():
    data = ('<meta charset="iso-8859-1"><p>Gr\xfc\xdfe aus K\xf6ln \x85 und'.encode("latin-1")
            + " für alle</p>".encode("utf-8"))
    text, encoding = decode_text(data, "page.html", html=True)
    assert "Grüße aus Köln … und für alle" in text  # iso-8859-1 read as browsers do (windows-1252)
    assert encoding == "cp1252+utf-8"


def test_page_declaring_latin1_but_written_in_utf8_is_utf8():
    data = '<meta charset="iso-8859-1"><p>Zürich, Genève, Besançon</p>'.encode("utf-8")
    assert decode_text(data, "page.html", html=True) == ('<meta charset="iso-8859-1"><p>Zürich, Genève, Besançon</p>',
                                                         "utf-8")


def test_legacy_page_without_utf8_is_read_as_before():
    text, encoding = decode_text("<p>Привет, как дела у вас сегодня</p>".encode("cp1251"), "page.html", html=True)
    assert text == "<p>Привет, как дела у вас сегодня</p>" and encoding == "cp1251"


def test_soft_hyphens_removed_and_text_in_nfc_through_the_pipeline():
    page = ("<html><head><title>Neue Fähre</title></head><body><article>"
            "<p>Die Hafen&shy;verwaltung hat die Fähr\u00adverbindung nach Oster\u00adhaven verlängert, "
            "sagte eine Spreche\u0301rin am Montag in der Stadt, und die Preise bleiben gleich.</p>"
            "<p>Der Fahrplan gilt ab dem ersten November und wird im Frühjahr überprüft, hieß es weiter.</p>"
            "</article></body></html>")
    article = process(document("faehre.html", page.encode("utf-8")))
    assert isinstance(article, Article)
    assert "Hafenverwaltung" in article.text and "Fährverbindung nach Osterhaven" in article.text
    assert "\u00ad" not in article.text
    assert unicodedata.is_normalized("NFC", article.text) and "Sprechérin" in article.text
    for block in article.blocks:  # offsets are counted on the tidied text
        assert article.text[block.start:block.end].strip() == article.text[block.start:block.end]


def test_tidy_repairs_mojibake_words_and_leaves_real_text_alone():
    assert tidy("fÃ¼r die StraÃŸe, donâ€™t") == "für die Straße, don’t"
    assert tidy("Caf\x92s \x96 open") == "Caf’s – open"  # windows-1252 read as Latin-1
    for real in ("NESTLÉ® cereals", "Гілка та Сергій", "ВВС», сказал он", "SÃO PAULO", "Ça va, Ærø"):
        assert tidy(real) == real
    assert mojibake_words("Grüße, fÃ¼r, ok") == ["fÃ¼r,"]


def test_tidy_undoes_utf8_mis_read_twice_and_undefined_windows_1252_bytes():
    def misread(text: str, times: int) -> str:   # UTF-8 bytes read as windows-1252 (undefined bytes pass through)
        for _ in range(times):
            text = "".join(chr(b) if b in (0x81, 0x8d, 0x8f, 0x90, 0x9d) else bytes([b]).decode("cp1252")
                           for b in text.encode("utf-8"))
        return text

    title = "The harbour’s new ferry — “on time”, at last, für alle"
    for times in (1, 2, 3):
        assert tidy(misread(title, times)) == title, times
        assert mojibake_words(misread(title, times))
    assert misread("—", 2) == "Ã¢â‚¬â€\x9d" and tidy("Who are Ã¢â‚¬â€\x9d right") == "Who are — right"
    assert tidy(misread(title, 4)) != title   # past MAX_LAYERS the word is left as it is


def test_assemble_tidies_before_counting_offsets():
    text, blocks = assemble([("paragraph", "Zu\u00adsam\u00admen"), ("heading", "Cafe\u0301")])
    assert text == "Zusammen\n\nCafé"
    assert [text[b.start:b.end] for b in blocks] == ["Zusammen", "Café"]


def test_record_fields_are_tidied_where_every_document_enters_the_pipeline():
    from storyline.records import RawDocument

    body = ("Die Hafenverwaltung hat die Fährverbindung nach Osterhaven bis zum Frühjahr verlängert, sagte eine "
            "Sprecherin am Montag. Der neue Fahrplan gilt ab dem ersten November und wird im März überprüft.")
    article = process(RawDocument(origin="record-1", body=body, fmt="text", title="Neue Fa\u0308hre nach Oster\u00adhaven",
                                  author="Ana Pop\u00ad", outlet="Velmar Cou\u00adrier"))
    assert isinstance(article, Article)
    assert article.title == "Neue Fähre nach Osterhaven" and unicodedata.is_normalized("NFC", article.title)
    assert article.author == "Ana Pop" and article.outlet == "Velmar Courier"
