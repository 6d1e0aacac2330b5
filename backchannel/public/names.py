"""Names found in text however they are written: case, accents and what joins their words
(spaces, `_`, `.`, `-`, a comma) do not matter, and a name is found through a trie of its
words, so thousands of private names cost one lookup a word of text (privacy.Scrubber)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..corpus.matching import fold

# What may stand between the words of a name: spaces, and how file names, user names and
# Message-IDs join words (jane_parent, Parent.Jane, jane-parent), a comma ("Parent, Jane").
NAME_SEPARATOR = re.compile(r"[\s\u00a0._,\u2019'-]+")
WORDS = re.compile(r"[^\W\d_]+|\d+")  # a folded text's words: runs of letters or of digits
# A word of text as written: a run of letters (with any combining accents), or of digits.
NAME_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*|\d+")


def name_words(name: str) -> tuple[str, ...]:
    """A name's words, folded, without what joins them: "Quintanilla-Vega, Marisol" is
    (quintanilla, vega, marisol)."""
    return tuple(WORDS.findall(fold(name)))


def _folded(word: str) -> str:
    return word.lower() if word.isascii() else fold(word)


class NameIndex:
    """Names (sequences of folded words) found in text word by word: a trie of their words,
    entered where a word of the text is the first word of a name, and followed word by word
    across separators; the longest name found wins. Case, accents and what joins the words
    do not matter, and a first name shared by thousands of names costs one lookup a word.
    `capitalized`: only where the text's first word starts with a capital (surnames alone:
    "Rose" the name, not "rose" the flower)."""

    LABEL = ""  # the trie's key for "a name ends here"

    def __init__(self, names: dict[tuple[str, ...], str], capitalized: bool):
        self.capitalized = capitalized
        self.trie: dict[str, Any] = {}  # word -> the trie after it; LABEL -> a label
        for words, label in names.items():
            if not words or words[0].isdigit():  # no name begins with a number ("61 Person")
                continue
            node = self.trie
            for w in words:
                node = node.setdefault(w, {})
            node.setdefault(self.LABEL, label)
        self.firsts = frozenset(self.trie)

    def sub(self, text: str, hits: list, rule: str) -> str:
        out: list[str] = []
        pos = 0
        for start, end, label in self._matches(text):
            hits.append((rule, text[start:end], label))
            out.append(text[pos:start])
            out.append(label)
            pos = end
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)

    def find(self, text: str) -> bool:
        return next(self._matches(text), None) is not None

    def _matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, label) of each name in the text, left to right, never overlapping."""
        if not self.trie:
            return
        # Most cells (ids, dates, most text) hold no first word of any name: one look at all
        # their words at once, in C, before the word-by-word walk.
        if self.firsts.isdisjoint(WORDS.findall(fold(text))):
            return
        pos = 0
        for word in NAME_TOKEN.finditer(text):
            if word.start() < pos:
                continue
            w = word.group(0)
            node = self.trie.get(_folded(w))
            if node is None or (self.capitalized and not w[0].isupper()):
                continue
            found = self._longest(text, word.end(), node)
            if found is not None:
                yield word.start(), found[0], found[1]
                pos = found[0]

    def _longest(self, text: str, at: int, node: dict[str, Any]) -> tuple[int, str] | None:
        """The end and label of the longest name going on from `at`, where `node` is the
        trie after the words read so far."""
        found = (at, node[self.LABEL]) if self._ends(text, at, node) else None
        while True:
            gap = NAME_SEPARATOR.match(text, at)
            if gap is None:
                return found
            word = NAME_TOKEN.match(text, gap.end())
            if word is None:
                return found
            following = node.get(_folded(word.group(0)))
            if following is None:
                return found
            node, at = following, word.end()
            if self._ends(text, at, node):
                found = (at, node[self.LABEL])

    def _ends(self, text: str, at: int, node: dict[str, Any]) -> bool:
        """A name ends here: one does in the trie, and the text's word does (letters may run
        on into digits, Quackenbush2025; a number does not run on into letters, 3f2a)."""
        return self.LABEL in node and not (
            text[at - 1 : at].isdigit() and text[at : at + 1].isalpha()
        )
