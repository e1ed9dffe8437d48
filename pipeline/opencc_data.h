/* opencc_data.h: what normalise knows of OpenCC's t2s dictionaries
 * (TSPhrases, TSCharacters), read off them by tests/tools/gen-opencc-data
 * into opencc_data.c. OpenCC's C interface converts text but cannot list
 * a dictionary, and normalise needs to know which characters a phrase can
 * hold to leave OpenCC the runs of them alone. */
#ifndef PL_OPENCC_DATA_H
#define PL_OPENCC_DATA_H

#include <stddef.h>
#include <stdint.h>

/* Where the dictionaries were, and their SHA-256 (hex): normalise checks
 * the ones it runs with against these. */
extern const char pl_t2s_dict_dir[];
extern const char pl_t2s_sha256_phrases[];
extern const char pl_t2s_sha256_characters[];
/* Every character of a TSPhrases key, in code point order. */
extern const uint32_t pl_t2s_phrase_chars[];
extern const size_t pl_t2s_phrase_chars_n;
/* Every character a TSPhrases phrase changes (覆 in 回覆 -> 回复). */
extern const uint32_t pl_t2s_phrase_changed[];
extern const size_t pl_t2s_phrase_changed_n;
/* Every TSCharacters key (one character each): with these dictionaries no
 * other character is changed by t2s on its own. */
extern const uint32_t pl_t2s_char_keys[];
extern const size_t pl_t2s_char_keys_n;

#endif
