"""The per-language tables of mail-client words: one meaning per label across languages."""

from backchannel.ingest import languages


def test_a_label_means_one_field_in_every_language():
    meaning: dict[str, tuple[str, str]] = {}
    for language, table in languages.HEADER_LABELS.items():
        for label, name in table.items():
            key = languages.fold_label(label)
            if key in meaning:
                assert meaning[key][1] == name, (label, language, meaning[key])
            meaning[key] = (language, name)


def test_labels_fold_case_accents_and_spaces():
    labels = languages.header_labels()
    assert labels["envoye le"] == "date"
    assert labels[languages.fold_label("Envoyé  le :")] == "date"
    assert labels[languages.fold_label("发件人：")] == "from"
    assert labels[languages.fold_label("BETREFF")] == "subject"
