-- Regular expressions with back references and lookaround constraints
-- (matched by backtracking, as RE2 cannot), as PostgreSQL 15.

SELECT 'abab' ~ '(ab)\1', 'abac' ~ '(ab)\1', 'abab' !~ '(ab)\1', 'ABab' ~* '(ab)\1', 'ABab' ~ '(ab)\1'

SELECT regexp_replace('aa bb cd', '(\w)\1', 'X', 'g'), regexp_replace('aa bb cd', '(\w)\1', '<\1\1>')

SELECT regexp_match('foofoo', '(f(o+))\1'), regexp_match('abab', '(a)(b)\2'), regexp_match('abb', '(a)(b)\2')

SELECT regexp_match('aXbXc', '(X).*\1'), regexp_match('Hello HELLO', '(hello) \1', 'i')

SELECT regexp_matches('xaaxbbx', '(\w)\1', 'g')

SELECT regexp_matches('aa bb cc dd', '(\w)\1', 'g')

SELECT substring('hello' from '(l)\1'), substring('hello' from 'e(l)\1o'), substring('abc' from '(x)\1')

SELECT 'foobar' ~ 'foo(?=bar)', 'foobaz' ~ 'foo(?=bar)', 'foobaz' ~ 'foo(?!bar)', 'foobar' ~ 'foo(?!bar)'

SELECT 'abc' ~ '(?<=a)b', 'xbc' ~ '(?<=a)b', 'xbc' ~ '(?<!a)b', 'abc' ~ '(?<!a)b'

SELECT regexp_match('abcabc', '(?:(a)|b)(?=c)'), regexp_match('xyz', '(?=(y))'), regexp_match('abcabc', '(?<=(a))b')

SELECT regexp_replace('hello world', '(o)(?= )', '0'), regexp_replace('price: 100 dollars 200', '\d+(?= dollars)', 'N', 'g')

SELECT '' ~ '()\1', 'aaa' ~ '^(a*)\1$', 'aaaa' ~ '^(a*)\1$', 'x' ~ '((a)|b)\2'

SELECT regexp_replace('aaa', '(a)\1*', 'X', 'g'), regexp_count('aaaa', '(a)\1'), regexp_split_to_array('aXXbYYc', '(.)\1')

SELECT regexp_like('abcabc', '(abc)\1'), regexp_instr('xyzyzq', '(yz)\1'), regexp_substr('xyzyzq', '(yz)\1')

SELECT 'aa0' ~ '(a)\10', 'abc' ~ '(a)\10'

SELECT 'aa' ~ '(a\1)'

SELECT 'a' ~ '\2(a)'

SELECT 'ab' ~ '(a)\1('

CREATE TABLE rb (id int PRIMARY KEY, s text)

INSERT INTO rb VALUES (1, 'hello'), (2, 'world'), (3, 'bookkeeper'), (4, NULL), (5, 'abcabc')

SELECT id, s ~ '(.)\1' AS doubled, regexp_match(s, '(.)\1') FROM rb ORDER BY id

SELECT id FROM rb WHERE s ~ '^(.+)\1$' ORDER BY id
