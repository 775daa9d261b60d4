"""Fill zh_Hans translations: ``python tools/po_fill.py FILE.po TRANSLATIONS.json``.

The JSON maps msgid → msgstr (or, for plurals, msgid → [msgstr]); entries already translated
are kept unless the JSON gives a new text. Prints the msgids still untranslated.
"""

import json
import sys

import polib


def main() -> int:
    po_path, json_path = sys.argv[1], sys.argv[2]
    with open(json_path, encoding="utf-8") as fh:
        table = json.load(fh)
    po = polib.pofile(po_path)
    for entry in po:
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                values = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {i: values[min(i, len(values) - 1)]
                                       for i in range(max(1, len(entry.msgstr_plural)))}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    for msgid in missing:
        print(msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
