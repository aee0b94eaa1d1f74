"""Properties that must hold for any input, checked with hypothesis."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.names import detect_script, index_tokens, query_tokens, romanize, romanize_variants, search_key

from .search_helpers import finds

# No example database: these tests must not write into the repository.
quick = settings(database=None)
# Thai romanization loads a dictionary on first use (~0.5 s): no deadline.
relaxed = settings(
    database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)

LATIN = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿăđĐơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
                             "łŁßæœ -'.,"),
    max_size=40,
)  # fmt: skip
HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=6)
HAN_WITH_SEPARATORS = st.lists(HAN, min_size=1, max_size=3).flatmap(
    lambda runs: st.sampled_from([" ", "·", ""]).map(lambda sep: sep.join(runs))
)
COMMON_NAME_CHARS = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马诸葛"
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红鹏辉建婷宇浩凯健俊帆晨欣怡子轩梓涵一诺雨泽思远博文嘉佳琪"
    "小大国志海春云飞龙凤燕梅雪峰波斌鑫鹤单区解仇朴查盖翟乐缪女律绿略虐"
)
HAN_NAME = st.text(alphabet=st.sampled_from(COMMON_NAME_CHARS), min_size=1, max_size=4)


def prefix_matches_some(query_token, tokens):
    return any(t.startswith(query_token) for t in tokens)


@quick
@given(st.text())
def test_search_key_is_idempotent(text):
    key = search_key(text)
    assert search_key(key) == key


@quick
@given(st.text())
def test_search_key_has_no_outer_or_double_spaces_and_no_upper_case(text):
    key = search_key(text)
    assert key == " ".join(key.split())
    assert key == key.casefold() or search_key(key) == key


@quick
@given(LATIN)
def test_search_key_of_latin_text_is_plain_ascii(text):
    key = search_key(text)
    assert key.isascii()
    assert all(c.isalnum() or c == " " for c in key)


@relaxed
@given(st.one_of(LATIN, HAN_WITH_SEPARATORS))
def test_every_query_token_prefix_matches_an_index_token_of_the_same_text(text):
    tokens = index_tokens(text)
    for q in query_tokens(text):
        assert prefix_matches_some(q, tokens), (q, tokens)


@relaxed
@given(st.text(max_size=30))
def test_every_query_token_prefix_matches_an_index_token_for_any_unicode(text):
    tokens = index_tokens(text)
    for q in query_tokens(text):
        assert prefix_matches_some(q, tokens), (q, tokens)


@relaxed
@given(HAN_NAME)
def test_typing_a_chinese_name_finds_its_pinyin_passport_spelling(name):
    passport = romanize(name).upper()
    assert finds(name, passport), (name, passport, query_tokens(name), index_tokens(passport))


@relaxed
@given(HAN_NAME)
def test_typing_the_pinyin_finds_the_name_stored_in_characters(name):
    assert finds(romanize(name), name)
    assert finds(" ".join(reversed(romanize(name).split())), name)


@relaxed
@given(st.text(max_size=30))
def test_no_public_function_raises_on_arbitrary_unicode(text):
    assert isinstance(detect_script(text), str)
    assert isinstance(romanize(text), str)
    assert all(isinstance(v, str) for v in romanize_variants(text))
    tokens = index_tokens(text)
    assert all(t and len(t) <= 64 and t == "".join(t.split()) for t in tokens)
    assert all(t and len(t) <= 64 and t == "".join(t.split()) for t in query_tokens(text))


@relaxed
@given(HAN_WITH_SEPARATORS)
def test_romanized_han_is_ascii_apart_from_u_umlaut(text):
    assert romanize(text).replace("ü", "").isascii()
    assert all(v.replace("ü", "").isascii() for v in romanize_variants(text))


@quick
@given(st.text())
def test_detect_script_returns_a_four_letter_code(text):
    code = detect_script(text)
    assert len(code) == 4 and code.isalpha() and code[0].isupper()
