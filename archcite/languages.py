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

# tag -> (langcodes.standardize_tag(tag), English display name of the standardized tag)
TAGS: dict[str, tuple[str, str]] = {
    'aa': ('aa', 'Afar'), 'ab': ('ab', 'Abkhazian'), 'ae': ('ae', 'Avestan'), 'af': ('af', 'Afrikaans'),
    'ak': ('ak', 'Akan'), 'am': ('am', 'Amharic'), 'an': ('an', 'Aragonese'), 'ar': ('ar', 'Arabic'),
    'as': ('as', 'Assamese'), 'av': ('av', 'Avaric'), 'ay': ('ay', 'Aymara'), 'az': ('az', 'Azerbaijani'),
    'ba': ('ba', 'Bashkir'), 'be': ('be', 'Belarusian'), 'bg': ('bg', 'Bulgarian'),
    'bh': ('bh', 'Bihari languages'), 'bi': ('bi', 'Bislama'), 'bm': ('bm', 'Bambara'),
    'bn': ('bn', 'Bangla'), 'bo': ('bo', 'Tibetan'), 'br': ('br', 'Breton'), 'bs': ('bs', 'Bosnian'),
    'ca': ('ca', 'Catalan'), 'ce': ('ce', 'Chechen'), 'ch': ('ch', 'Chamorro'), 'co': ('co', 'Corsican'),
    'cr': ('cr', 'Cree'), 'cs': ('cs', 'Czech'), 'cu': ('cu', 'Church Slavic'), 'cv': ('cv', 'Chuvash'),
    'cy': ('cy', 'Welsh'), 'da': ('da', 'Danish'), 'de': ('de', 'German'), 'dv': ('dv', 'Divehi'),
    'dz': ('dz', 'Dzongkha'), 'ee': ('ee', 'Ewe'), 'el': ('el', 'Greek'), 'en': ('en', 'English'),
    'eo': ('eo', 'Esperanto'), 'es': ('es', 'Spanish'), 'et': ('et', 'Estonian'), 'eu': ('eu', 'Basque'),
    'fa': ('fa', 'Persian'), 'ff': ('ff', 'Fula'), 'fi': ('fi', 'Finnish'), 'fil': ('fil', 'Filipino'),
    'fj': ('fj', 'Fijian'), 'fo': ('fo', 'Faroese'), 'fr': ('fr', 'French'), 'fy': ('fy', 'Western Frisian'),
    'ga': ('ga', 'Irish'), 'gd': ('gd', 'Scottish Gaelic'), 'gl': ('gl', 'Galician'), 'gn': ('gn', 'Guarani'),
    'gu': ('gu', 'Gujarati'), 'gv': ('gv', 'Manx'), 'ha': ('ha', 'Hausa'), 'he': ('he', 'Hebrew'),
    'hi': ('hi', 'Hindi'), 'ho': ('ho', 'Hiri Motu'), 'hr': ('hr', 'Croatian'),
    'ht': ('ht', 'Haitian Creole'), 'hu': ('hu', 'Hungarian'), 'hy': ('hy', 'Armenian'),
    'hz': ('hz', 'Herero'), 'ia': ('ia', 'Interlingua'), 'id': ('id', 'Indonesian'),
    'ie': ('ie', 'Interlingue'), 'ig': ('ig', 'Igbo'), 'ii': ('ii', 'Sichuan Yi'), 'ik': ('ik', 'Inupiaq'),
    'in': ('id', 'Indonesian'), 'io': ('io', 'Ido'), 'is': ('is', 'Icelandic'), 'it': ('it', 'Italian'),
    'iu': ('iu', 'Inuktitut'), 'iw': ('he', 'Hebrew'), 'ja': ('ja', 'Japanese'), 'ji': ('yi', 'Yiddish'),
    'jv': ('jv', 'Javanese'), 'jw': ('jv', 'Javanese'), 'ka': ('ka', 'Georgian'), 'kg': ('kg', 'Kongo'),
    'ki': ('ki', 'Kikuyu'), 'kj': ('kj', 'Kuanyama'), 'kk': ('kk', 'Kazakh'), 'kl': ('kl', 'Kalaallisut'),
    'km': ('km', 'Khmer'), 'kn': ('kn', 'Kannada'), 'ko': ('ko', 'Korean'), 'kr': ('kr', 'Kanuri'),
    'ks': ('ks', 'Kashmiri'), 'ku': ('ku', 'Kurdish'), 'kv': ('kv', 'Komi'), 'kw': ('kw', 'Cornish'),
    'ky': ('ky', 'Kyrgyz'), 'la': ('la', 'Latin'), 'lb': ('lb', 'Luxembourgish'), 'lg': ('lg', 'Ganda'),
    'li': ('li', 'Limburgish'), 'ln': ('ln', 'Lingala'), 'lo': ('lo', 'Lao'), 'lt': ('lt', 'Lithuanian'),
    'lu': ('lu', 'Luba-Katanga'), 'lv': ('lv', 'Latvian'), 'mg': ('mg', 'Malagasy'),
    'mh': ('mh', 'Marshallese'), 'mi': ('mi', 'Māori'), 'mk': ('mk', 'Macedonian'), 'ml': ('ml', 'Malayalam'),
    'mn': ('mn', 'Mongolian'), 'mo': ('ro', 'Romanian'), 'mr': ('mr', 'Marathi'), 'ms': ('ms', 'Malay'),
    'mt': ('mt', 'Maltese'), 'my': ('my', 'Burmese'), 'na': ('na', 'Nauru'), 'nb': ('nb', 'Norwegian Bokmål'),
    'nd': ('nd', 'North Ndebele'), 'ne': ('ne', 'Nepali'), 'ng': ('ng', 'Ndonga'), 'nl': ('nl', 'Dutch'),
    'nn': ('nn', 'Norwegian Nynorsk'), 'no': ('no', 'Norwegian'), 'nr': ('nr', 'South Ndebele'),
    'nv': ('nv', 'Navajo'), 'ny': ('ny', 'Nyanja'), 'oc': ('oc', 'Occitan'), 'oj': ('oj', 'Ojibwa'),
    'om': ('om', 'Oromo'), 'or': ('or', 'Odia'), 'os': ('os', 'Ossetic'), 'pa': ('pa', 'Punjabi'),
    'pi': ('pi', 'Pali'), 'pl': ('pl', 'Polish'), 'ps': ('ps', 'Pashto'), 'pt': ('pt', 'Portuguese'),
    'qu': ('qu', 'Quechua'), 'rm': ('rm', 'Romansh'), 'rn': ('rn', 'Rundi'), 'ro': ('ro', 'Romanian'),
    'ru': ('ru', 'Russian'), 'rw': ('rw', 'Kinyarwanda'), 'sa': ('sa', 'Sanskrit'), 'sc': ('sc', 'Sardinian'),
    'sd': ('sd', 'Sindhi'), 'se': ('se', 'Northern Sami'), 'sg': ('sg', 'Sango'),
    'sh': ('sr-Latn', 'Serbian (Latin)'), 'si': ('si', 'Sinhala'), 'sk': ('sk', 'Slovak'),
    'sl': ('sl', 'Slovenian'), 'sm': ('sm', 'Samoan'), 'sn': ('sn', 'Shona'), 'so': ('so', 'Somali'),
    'sq': ('sq', 'Albanian'), 'sr': ('sr', 'Serbian'), 'sr-Latn': ('sr-Latn', 'Serbian (Latin)'),
    'ss': ('ss', 'Swati'), 'st': ('st', 'Southern Sotho'), 'su': ('su', 'Sundanese'), 'sv': ('sv', 'Swedish'),
    'sw': ('sw', 'Swahili'), 'ta': ('ta', 'Tamil'), 'te': ('te', 'Telugu'), 'tg': ('tg', 'Tajik'),
    'th': ('th', 'Thai'), 'ti': ('ti', 'Tigrinya'), 'tk': ('tk', 'Turkmen'), 'tl': ('fil', 'Filipino'),
    'tn': ('tn', 'Tswana'), 'to': ('to', 'Tongan'), 'tr': ('tr', 'Turkish'), 'ts': ('ts', 'Tsonga'),
    'tt': ('tt', 'Tatar'), 'tw': ('tw', 'Twi'), 'ty': ('ty', 'Tahitian'), 'ug': ('ug', 'Uyghur'),
    'uk': ('uk', 'Ukrainian'), 'ur': ('ur', 'Urdu'), 'uz': ('uz', 'Uzbek'), 've': ('ve', 'Venda'),
    'vi': ('vi', 'Vietnamese'), 'vo': ('vo', 'Volapük'), 'wa': ('wa', 'Walloon'), 'wo': ('wo', 'Wolof'),
    'xh': ('xh', 'Xhosa'), 'yi': ('yi', 'Yiddish'), 'yo': ('yo', 'Yoruba'), 'za': ('za', 'Zhuang'),
    'zh': ('zh', 'Chinese'), 'zu': ('zu', 'Zulu'),
}  # fmt: skip


# English name -> tag: the names above, as ``language_from_text`` reads "Original Language:
# Russian".  Two are left out because langcodes.find does not give their tag back.
_NOT_FOUND_BY_NAME = {"Ojibwa", "Serbian (Latin)"}
NAMES: dict[str, str] = {
    name: tag for tag, (standard, name) in TAGS.items() if tag == standard and name not in _NOT_FOUND_BY_NAME
}


def main() -> None:
    """Print TAGS as the installed langcodes answers, laid out as above, to paste over it."""
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
    lines, line = [], "   "
    for tag, (standard, name) in sorted(tags.items()):
        entry = f" {tag!r}: ({standard!r}, {name!r}),"
        if len(line) + len(entry) > 110:
            lines.append(line)
            line = "   "
        line += entry
    print("\n".join([*lines, line]))


if __name__ == "__main__":
    main()
