"""Independent reference values for Tests/Evaluation/RougeReferenceTests.cs.

A Python re-implementation of Google's rouge-score (google-research/google-research, rouge/:
tokenize.py, rouge_scorer.py, scoring.py), written from its published source, with the stemmer
rouge-score itself uses: nltk's PorterStemmer() in its default NLTK_EXTENSIONS mode (nltk 3.8
from Debian's python3-nltk). Equivalent to
    RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True).score(target, prediction)

Writes, next to this script:
  rouge_reference.jsonl      one {"target", "prediction", "scores": {type: [p, r, f]}} per line
  porter_reference.tsv.gz    word<TAB>nltk stem, for every token longer than 3 characters of the
                             debian-headlines task and the Brown corpus, plus rule edge cases
Run from the repository root after `workbench tasks build`:
    /usr/bin/python3 Tests/Evaluation/Fixtures/make_rouge_fixtures.py
"""
import collections
import gzip
import json
import os
import random
import re

from nltk.stem.porter import PorterStemmer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
STEMMER = PorterStemmer()  # NLTK_EXTENSIONS, as rouge-score constructs it


# --- rouge-score, re-implemented -------------------------------------------------------------
def tokenize(text):
    text = text.lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    tokens = re.split(r"\s+", text)
    tokens = [STEMMER.stem(x) if len(x) > 3 else x for x in tokens]
    return [x for x in tokens if re.match(r"^[a-z0-9]+$", x)]


def fmeasure(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def ngrams(tokens, n):
    return collections.Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def score_ngrams(target, prediction, n):
    t, p = ngrams(target, n), ngrams(prediction, n)
    overlap = sum(min(count, p[g]) for g, count in t.items())
    precision = overlap / max(sum(p.values()), 1)
    recall = overlap / max(sum(t.values()), 1)
    return precision, recall, fmeasure(precision, recall)


def lcs_table(ref, can):
    table = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(can) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if ref[i - 1] == can[j - 1] else max(table[i - 1][j], table[i][j - 1])
    return table


def score_lcs(target, prediction):
    if not target or not prediction:
        return 0.0, 0.0, 0.0
    length = lcs_table(target, prediction)[-1][-1]
    precision, recall = length / len(prediction), length / len(target)
    return precision, recall, fmeasure(precision, recall)


def lcs_indices(ref, can):
    t = lcs_table(ref, can)
    i, j, found = len(ref), len(can), []
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            found.insert(0, i - 1)
            i, j = i - 1, j - 1
        elif t[i][j - 1] > t[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return found


def summary_level_lcs(ref_sents, can_sents):
    if not ref_sents or not can_sents:
        return 0.0, 0.0, 0.0
    m, n = sum(map(len, ref_sents)), sum(map(len, can_sents))
    if not n or not m:
        return 0.0, 0.0, 0.0
    left_r, left_c = collections.Counter(), collections.Counter()
    for s in ref_sents:
        left_r.update(s)
    for s in can_sents:
        left_c.update(s)
    hits = 0
    for r in ref_sents:
        union = sorted(set().union(*[lcs_indices(r, c) for c in can_sents]))
        for token in (r[i] for i in union):
            if left_c[token] > 0 and left_r[token] > 0:
                hits += 1
                left_c[token] -= 1
                left_r[token] -= 1
    precision, recall = hits / n, hits / m
    return precision, recall, fmeasure(precision, recall)


def sentences(text):
    return [s for s in text.split("\n") if len(s)]


def score(target, prediction):
    t, p = tokenize(target), tokenize(prediction)
    return {
        "rouge1": score_ngrams(t, p, 1),
        "rouge2": score_ngrams(t, p, 2),
        "rougeL": score_lcs(t, p),
        "rougeLsum": summary_level_lcs([tokenize(s) for s in sentences(target)], [tokenize(s) for s in sentences(prediction)]),
    }


# --- the pairs -------------------------------------------------------------------------------
def read_split(split):
    path = os.path.join(ROOT, "data", "tasks", "debian-headlines", split + ".tsv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f)
        return [tuple(line.rstrip("\n").split("\t")) for line in f]


def lead(document, k):
    return " ".join(document.split()[:k])


HAND = [
    # empty and degenerate sides
    ("the cat sat on the mat", ""),
    ("", "the cat sat on the mat"),
    ("", ""),
    ("the cat", "!!! ... ---"),
    ("--", "a b"),
    ("a", "a"),
    ("a b", "b a"),
    # repeated n-grams: counts are clipped
    ("the the the cat", "the the cat cat"),
    ("the cat the cat the cat", "the cat"),
    ("a a a a a", "a a"),
    ("police kill the gunman", "police kill police kill police kill"),
    ("one two one two one two", "two one two one"),
    # stemming and case
    ("Running runners RAN quickly", "run runner runs quick"),
    ("generously hopefulness relational", "generous hopeful relate"),
    ("The dying skies lie", "die sky lying"),
    ("caresses ponies ties cats", "caress poni ti cat"),
    ("agreed plastered motoring hopping", "agree plaster motor hop"),
    ("conditional valenci digitizer", "condition valence digitize"),
    ("flies dies spied died", "fli die spi die"),
    ("enjoy happy sky", "enjoying happiness skies"),
    ("geology theology archaeology", "geologi theologi"),
    ("controlling rolling", "control roll"),
    ("news innings outings", "new inning outing"),
    ("proceed exceed succeed proceeding", "proceeds exceeding"),
    # tokenisation: punctuation, digits, Unicode
    ("GPL-3+ licensed, Python3 (v2.7)", "gpl 3 license python3 v2 7"),
    ("café naïve résumé", "caf na ve r sum"),
    ("İstanbul KELVIN \u212Aelvin", "i stanbul kelvin kelvin"),
    ("日本語 text ünïcödé", "text"),
    ("x86_64 arm64-v8a", "x86 64 arm64 v8a"),
    ("don't can't won't", "don t can t won t"),
    ("tab\tseparated\rcarriage", "tab separated carriage"),
    # ROUGE-Lsum: newline-separated sentences
    ("police killed the gunman\nthe gunman was shot", "police kill the gunman\nthe gunman shot police"),
    ("a b c\nd e f", "a b c d e f"),
    ("a b c d e f", "a b c\nd e f"),
    ("w1 w2 w3 w4 w5\nw6 w7 w8", "w1 w2 w6 w7\nw3 w4 w5 w8"),
    ("the cat\nthe cat\nthe cat", "the cat"),
    ("the cat", "the cat\nthe cat\nthe cat"),
    ("\n\nfirst line\n\n\nsecond line\n", "first\nline second\n\n"),
    ("...\nreal words here", "real words\n!!!"),
    ("a b a b a\nb a b", "b a b a\na b"),
    ("x y z\nz y x\nx z y", "y x z\nz x y"),
]

STEM_EDGE = """
a aa aaa ab abs ies sses ssess eed feed agreed bleed ed bled sing singing eing ying dying lying tying dies flies spies died spied
tied lied cries cried ties caresses ponies caress cats feed agreed disabled matting mating meeting milling messing meetings
conflated troubled sized hopping tanned falling hissed fizzed failing filing happy sky enjoy spy fly try by say boy toy
relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization
predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti fulli hopefulli
logi geologi theologi archaeologi triplicate formative formalize electriciti electrical hopeful goodness revival allowance
inference airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou communism
activate angulariti homologous effective bowdlerize probate rate cease controll roll generalization generalizations
oscillators agreement agreements skies news innings inning outings outing cannings canning howe proceed exceed succeed
proceeding exceeded succeeded alli bli abli alliance generously fully totally finally actually usually reallocate
mp3s x86s utf8 h264 ipv6s 1080p 2000s 64bits python3 gtk3s kde4s k8s a1b2c3 yyyy yyyyy ayyy bayy sayyed played playing
""".split()


def main():
    rng = random.Random(20240101)
    test = read_split("test")
    dev = read_split("dev")
    pairs = list(HAND)
    # real synopses against real predictions of several kinds
    for doc, summary in test[:120]:
        pairs.append((summary, lead(doc, 8)))
    for doc, summary in test[120:180]:
        pairs.append((summary, doc.split(". ")[0]))
    for (_, summary), (_, other) in zip(test[180:240], test[240:300]):
        pairs.append((summary, other))
    for doc, summary in dev[:60]:
        words = summary.split()
        rng.shuffle(words)
        pairs.append((summary, " ".join(words)))
    for doc, summary in dev[60:100]:
        pairs.append((summary, summary + " " + summary))  # repeated prediction
    for doc, summary in dev[100:120]:
        pairs.append((summary, summary))  # exact match
    # multi-sentence, as CNN/DailyMail highlights come: real synopses joined by newlines
    for i in range(40):
        target = "\n".join(s for _, s in rng.sample(test, rng.randint(2, 4)))
        prediction = "\n".join(s for _, s in rng.sample(test, rng.randint(1, 3)))
        if i % 2 == 0:  # overlap: reuse target sentences, shuffled and partly cut
            lines = target.split("\n")
            rng.shuffle(lines)
            prediction = "\n".join(" ".join(line.split()[: rng.randint(1, 8)]) for line in lines) + "\n" + prediction
        pairs.append((target, prediction))
    # small-vocabulary random texts: many ties in the LCS tables, so the read-back order matters
    vocab = ["a", "b", "c", "d", "the", "runs", "running"]
    for _ in range(60):
        def text():
            return "\n".join(" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(1, 4)))
        pairs.append((text(), text()))

    with open(os.path.join(HERE, "rouge_reference.jsonl"), "w", encoding="utf-8") as f:
        for target, prediction in pairs:
            s = score(target, prediction)
            f.write(json.dumps({"target": target, "prediction": prediction, "scores": {k: list(v) for k, v in s.items()}}, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} pairs")

    words = set(STEM_EDGE)
    for split in ("train", "dev", "test"):
        for doc, summary in read_split(split):
            words.update(t for t in re.sub(r"[^a-z0-9]+", " ", (doc + " " + summary).lower()).split() if len(t) > 3)
    with gzip.open(os.path.join(ROOT, "data", "corpus", "pretrain_brown.txt.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            words.update(t for t in re.sub(r"[^a-z0-9]+", " ", line.lower()).split() if len(t) > 3)
    path = os.path.join(HERE, "porter_reference.tsv.gz")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        for word in sorted(words):
            f.write(f"{word}\t{STEMMER.stem(word)}\n".encode("utf-8"))
    print(f"{len(words)} words")


if __name__ == "__main__":
    main()
