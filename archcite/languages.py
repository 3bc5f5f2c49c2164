"""The common language tags and English names, known without loading langcodes' data.

Importing langcodes compiles a large regular expression (about 0.12 s) and its first
display name loads ``language_data.name_data`` (about 0.14 s more): more than the rest of
``archcite cite`` together, for a record that says ``code: ru``.  This table holds, for
every two-letter ISO 639 tag langcodes knows (and the tags those standardize to), what
langcodes answers, so that ``archcite.models`` asks langcodes only about other tags.

The table is langcodes' own output, not a second opinion: ``python -m archcite.languages``
prints it afresh from the installed langcodes, and tests/test_speed_paths_ingest.py checks
every entry against langcodes, so a langcodes release that changes a name fails a test
instead of changing a citation.
"""

from __future__ import annotations

# "tag English name", or "tag>standard tag English name" where langcodes.standardize_tag
# replaces a deprecated tag; entries separated by "; ".  Text, not a dict literal: without
# .pyc files (PYTHONDONTWRITEBYTECODE) Python compiles a literal this size in about 10 ms.
_TABLE = """\
aa Afar; ab Abkhazian; ae Avestan; af Afrikaans; ak Akan; am Amharic; an Aragonese; ar Arabic
as Assamese; av Avaric; ay Aymara; az Azerbaijani; ba Bashkir; be Belarusian; bg Bulgarian
bh Bihari languages; bi Bislama; bm Bambara; bn Bangla; bo Tibetan; br Breton; bs Bosnian
ca Catalan; ce Chechen; ch Chamorro; co Corsican; cr Cree; cs Czech; cu Church Slavic; cv Chuvash
cy Welsh; da Danish; de German; dv Divehi; dz Dzongkha; ee Ewe; el Greek; en English; eo Esperanto
es Spanish; et Estonian; eu Basque; fa Persian; ff Fula; fi Finnish; fil Filipino; fj Fijian
fo Faroese; fr French; fy Western Frisian; ga Irish; gd Scottish Gaelic; gl Galician; gn Guarani
gu Gujarati; gv Manx; ha Hausa; he Hebrew; hi Hindi; ho Hiri Motu; hr Croatian; ht Haitian Creole
hu Hungarian; hy Armenian; hz Herero; ia Interlingua; id Indonesian; ie Interlingue; ig Igbo
ii Sichuan Yi; ik Inupiaq; in>id Indonesian; io Ido; is Icelandic; it Italian; iu Inuktitut
iw>he Hebrew; ja Japanese; ji>yi Yiddish; jv Javanese; jw>jv Javanese; ka Georgian; kg Kongo
ki Kikuyu; kj Kuanyama; kk Kazakh; kl Kalaallisut; km Khmer; kn Kannada; ko Korean; kr Kanuri
ks Kashmiri; ku Kurdish; kv Komi; kw Cornish; ky Kyrgyz; la Latin; lb Luxembourgish; lg Ganda
li Limburgish; ln Lingala; lo Lao; lt Lithuanian; lu Luba-Katanga; lv Latvian; mg Malagasy
mh Marshallese; mi Māori; mk Macedonian; ml Malayalam; mn Mongolian; mo>ro Romanian; mr Marathi
ms Malay; mt Maltese; my Burmese; na Nauru; nb Norwegian Bokmål; nd North Ndebele; ne Nepali
ng Ndonga; nl Dutch; nn Norwegian Nynorsk; no Norwegian; nr South Ndebele; nv Navajo; ny Nyanja
oc Occitan; oj Ojibwa; om Oromo; or Odia; os Ossetic; pa Punjabi; pi Pali; pl Polish; ps Pashto
pt Portuguese; qu Quechua; rm Romansh; rn Rundi; ro Romanian; ru Russian; rw Kinyarwanda
sa Sanskrit; sc Sardinian; sd Sindhi; se Northern Sami; sg Sango; sh>sr-Latn Serbian (Latin)
si Sinhala; sk Slovak; sl Slovenian; sm Samoan; sn Shona; so Somali; sq Albanian; sr Serbian
sr-Latn Serbian (Latin); ss Swati; st Southern Sotho; su Sundanese; sv Swedish; sw Swahili; ta Tamil
te Telugu; tg Tajik; th Thai; ti Tigrinya; tk Turkmen; tl>fil Filipino; tn Tswana; to Tongan
tr Turkish; ts Tsonga; tt Tatar; tw Twi; ty Tahitian; ug Uyghur; uk Ukrainian; ur Urdu; uz Uzbek
ve Venda; vi Vietnamese; vo Volapük; wa Walloon; wo Wolof; xh Xhosa; yi Yiddish; yo Yoruba
za Zhuang; zh Chinese; zu Zulu
"""


def _parse(table: str) -> dict[str, tuple[str, str]]:
    tags: dict[str, tuple[str, str]] = {}
    for entry in table.replace("\n", "; ").split("; "):
        if entry:
            tag, _, name = entry.partition(" ")
            tag, _, standard = tag.partition(">")
            tags[tag] = (standard or tag, name)
    return tags


# tag -> (langcodes.standardize_tag(tag), English display name of the standardized tag)
TAGS: dict[str, tuple[str, str]] = _parse(_TABLE)

# English name -> tag: the names above, as ``language_from_text`` reads "Original Language:
# Russian".  Two are left out because langcodes.find does not give their tag back.
_NOT_FOUND_BY_NAME = {"Ojibwa", "Serbian (Latin)"}
NAMES: dict[str, str] = {
    name: tag for tag, (standard, name) in TAGS.items() if tag == standard and name not in _NOT_FOUND_BY_NAME
}


def layout(tags: dict[str, tuple[str, str]]) -> str:
    """The table's text for ``tags``, in lines of at most 100 characters."""
    entries = [
        f"{tag} {name}" if tag == standard else f"{tag}>{standard} {name}" for tag, (standard, name) in sorted(tags.items())
    ]
    lines: list[str] = []
    line = ""
    for entry in entries:
        if line and len(line) + 2 + len(entry) > 100:
            lines.append(line)
            line = entry
        else:
            line = f"{line}; {entry}" if line else entry
    return "\n".join([*lines, line])


def main() -> None:
    """Print the table as the installed langcodes answers, to paste over _TABLE above."""
    import itertools
    import string

    import langcodes

    tags: dict[str, tuple[str, str]] = {}
    for first, second in itertools.product(string.ascii_lowercase, repeat=2):
        tag = first + second
        if not langcodes.tag_is_valid(tag):
            continue
        standard = str(langcodes.standardize_tag(tag))
        name = str(langcodes.Language.get(standard).display_name())
        if not name.startswith("Unknown language"):
            tags[tag] = tags[standard] = (standard, name)
    print(layout(tags))


if __name__ == "__main__":
    main()
