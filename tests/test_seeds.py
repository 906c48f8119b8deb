"""The seed locator: structure, footnotes, normalisation."""

from __future__ import annotations

from cse_graph.seeds import DREW, FAQ, load_seeds, normalise


def test_normalise_folds_quotes_and_whitespace():
    assert normalise("‘Risky  Business’\n is “here”") == "'Risky Business' is \"here\""


def test_every_chapter_and_appendix_is_mapped(seeds_dir):
    seeds = load_seeds(str(seeds_dir))
    parts = {loc.split(" › ")[0] for _, loc in seeds[DREW]._headings}
    for expected in ["Preface", "Summary and recommendations", "Chapter 2", "Chapter 3", "Chapter 4", "Chapter 5",
                     "Chapter 6", "Chapter 7", "Chapter 8", "Chapter 9", "Chapter 10", "Appendix 1 (Terms of Reference)",
                     "Appendix (Methodology)", "Appendix 4 (Previous reviews)", "Appendix 5 (NCA briefing on Operation Stovewood)",
                     "Appendix 6 (Survivors' voices)", "Glossary"]:
        assert expected in parts
    assert len(seeds[FAQ]._headings) == 1 + 18 + 4


def test_locators_name_chapter_section_and_footnote(seeds_dir):
    seeds = load_seeds(str(seeds_dir))
    [hit] = seeds[DREW].find("Operation Clover was launched in August 2013 partly in response")
    assert (hit.line, hit.locator) == (772, "Chapter 4 › Growing scrutiny")
    [fn] = seeds[DREW].find("Sexual Exploitation, Drug Use and Drug Dealing")
    assert fn.locator == "Chapter 4 › The intelligence reports produced by Dr. Heal › footnote 65"
    recs = seeds[DREW].find("ask the Chief Constable to reconsider the resource allocation for the task of compiling")
    assert [h.locator for h in recs] == ["Summary and recommendations › Recommendations",
                                         "Chapter 6 › Refining the action plan", "Chapter 10 › Action Plan"]
    [faq] = seeds[FAQ].find("The NCA operation, called Operation Stovewood, began in December 2014")
    assert faq.locator.startswith("FAQ › Who is investigating the abuse")


def test_matching_allows_only_whitespace_and_quote_marks(seeds_dir):
    d = load_seeds(str(seeds_dir))[DREW]
    assert d.find("'Risky Business', a voluntary organisation")          # straight for curly quotes
    assert d.find("the ‘Key Players’   group\n(up to 2003)")              # extra whitespace
    assert not d.find("the Key Players group (up to 2003)")              # quotes dropped: no match
    assert not d.find("operation clover was launched")                   # case matters
    [h] = d.find("'Risky Business', a voluntary organisation")
    assert h.exact == "‘Risky Business’, a voluntary organisation"        # the seed's own characters


def test_all_130_footnotes_are_found(seeds_dir):
    d = load_seeds(str(seeds_dir))[DREW]
    assert sorted(n for _, _, n in d._footnotes) == list(range(1, 131))


def test_fold_is_documented_and_its_examples_hold():
    import doctest

    import cse_graph.seeds as seeds

    result = doctest.testmod(seeds, verbose=False)
    assert result.attempted >= 3 and result.failed == 0


def test_footnote_markers_in_the_seed_are_ignored_and_nothing_else(seeds_dir):
    d = load_seeds(str(seeds_dir))[DREW]
    # the seed prints: Dr. Heal’s 2006 report[footnoteRef:78] does not indicate …
    [h] = d.find("Dr. Heal’s 2006 report does not indicate much change from earlier findings")
    assert h.exact == "Dr. Heal’s 2006 report does not indicate much change from earlier findings"   # clean
    assert h.locator == "Chapter 4 › Barnsley"
    assert d.find("Dr. Heal’s 2006 report[footnoteRef:78] does not indicate")       # the marker itself is ignored too
    assert not d.find("Dr. Heal’s 2006 report[78] does not indicate")              # another difference: no match
    assert not d.find("Dr. Heal’s 2006 reports does not indicate")
    assert not d.find("Dr. Heal’s 2006 report does not  indicate much Change")
    # two markers in one sentence
    assert d.find("Independent assessments of this issue in Doncaster and Sheffield, published in responses to the Jay Report")
    # footnote bodies ([78: …]) are text, not markers: they still count
    assert not normalise("[78: Heal]") == normalise("Heal")


def test_normalise_drops_only_footnote_markers():
    assert normalise("a report[footnoteRef:78] does") == "a report does"
    assert normalise("spikes[footnoteRef:26] in") == "spikes in"
    assert normalise("see [footnoteRef:] and [footnote:3]") == "see [footnoteRef:] and [footnote:3]"
