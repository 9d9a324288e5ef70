-- String functions: substring, position, overlay, padding, trimming,
-- concat, format, quoting, regular expressions, encodings, to_char and
-- to_number for numbers, pg_typeof.

SELECT substring('hello' FROM 2 FOR 3), substring('hello' FROM 3), substring('hello' FOR 2), substr('hello', -1, 3), substr('hello', 2), substr('héllo', 2, 2)

SELECT substring('hello', 0), substring('hello', 10), substring('abc' FROM -5 FOR 7), substring('foobar' FROM 'o.b'), substring('foobar' FROM 'o(.)b'), substring('foobar' FROM 'x')

SELECT position('lo' IN 'hello'), position('x' IN 'hello'), position('' IN 'abc'), position('é' IN 'café')

SELECT overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4), overlay('abcdef' PLACING 'XY' FROM 3), overlay('abc' PLACING 'Z' FROM 1 FOR 0)

SELECT lpad('7', 3, '0'), rpad('ab', 5, '-'), lpad('hello', 3), rpad('hi', 6, 'xy'), lpad('x', 0), lpad('x', -2, 'a'), lpad('ab', 5, '')

SELECT trim(' x '), ltrim('xxhixx', 'x'), rtrim('xxhixx', 'x'), btrim('xxhixx', 'x'), trim(BOTH 'x' FROM 'xxhixx'), trim(LEADING 'x' FROM 'xxhixx'), trim(TRAILING FROM '  a  '), ltrim('  a'), btrim('abcba', 'ab')

SELECT concat('a', NULL, 'b', 1, true, 2.50), concat_ws('-', 'a', NULL, 'b', 3), concat_ws(NULL, 'a', 'b'), concat(NULL), concat_ws(',', ARRAY[1, 2], 'x')

SELECT format('%s-%I-%L', 'x', 'Y', 'it''s'), format('%s %s', 'a', NULL), format('%L', NULL), format('%2$s %1$s', 'a', 'b'), format('%%|%5s|%-5s|', 'ab', 'cd'), format('%I', 'select'), format('%I.%I', 'my table', 'ok_name')

SELECT format('%*s|', 6, 'x'), format('%s', ARRAY[1,2]), format('no args'), format(NULL)

SELECT translate('hello', 'el', 'ip'), translate('12345', '143', 'ax'), quote_ident('Foo'), quote_ident('foo'), quote_ident('foo bar'), quote_ident('table'), quote_ident('a"b')

SELECT quote_literal('it''s'), quote_literal(E'a\\b'), quote_literal(42), quote_nullable(NULL), quote_nullable('x'), quote_literal(NULL)

SELECT to_hex(255), to_hex(-1), to_hex(9223372036854775807), to_hex(0), to_hex(-1::int8)

SELECT encode('hello'::bytea, 'hex'), encode('hello'::bytea, 'base64'), encode(E'a\\000b\\\\'::bytea, 'escape'), decode('68656c6c6f', 'hex'), decode('aGVsbG8=', 'base64'), decode('a\\000b', 'escape')

SELECT encode(repeat('x', 100)::bytea, 'base64')

SELECT 'abc' ~ '^a.c$', 'ABC' ~* 'b', 'abc' !~ 'z', 'abc' !~* 'B', regexp_replace('foo boo', 'o+', '0', 'g'), regexp_replace('foo boo', 'o+', '0'), regexp_replace('Hello World', '(\w+) (\w+)', '\2 \1'), regexp_replace('abc', 'B', 'x', 'i')

SELECT regexp_match('foobarbequebaz', 'bar.*que'), regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('abc', 'x'), regexp_match('abc', '(a)|(z)')

SELECT regexp_split_to_array('hello world', '\s+'), regexp_split_to_array('a,b,,c', ','), regexp_split_to_array('abc', ''), regexp_split_to_array('hello', 'x')

SELECT 'abc' SIMILAR TO 'a%', 'abc' SIMILAR TO '(a|b)%c', 'abc' NOT SIMILAR TO '_b_', 'a.c' SIMILAR TO 'a.c', 'abc' SIMILAR TO 'a.c'

SELECT to_char(123, '999'), to_char(-123.456, '999.99'), to_char(5, '000'), to_char(1.5, 'FM999.00'), to_char(1234567, '9,999,999'), to_char(0.5, '0.99'), to_char(12345, '999'), to_char(-5, 'S000'), to_char(5, '999MI'), to_char(3.14159::float8, 'FM9.999')

SELECT to_number('12,454.8-', '99G999D9S'), to_number('123.45', '999.99'), to_number('  42', '9999'), to_number('-1.5', 'S9.9')

SELECT pg_typeof(1)::text, pg_typeof('a'::varchar(5))::text, pg_typeof('a')::text, pg_typeof(ARRAY['a'])::text, pg_typeof(1.5)::text, pg_typeof(now())::text, pg_typeof(NULL)::text, pg_typeof('a'::char(2))::text, pg_typeof(true)::text, pg_typeof('{}'::jsonb)::text, pg_typeof(1::int2)::text

SELECT bit_length('abc'), char_length('héllo'), octet_length('héllo')

SELECT substr('hello', 1, -1)

SELECT format('%x', 1)

SELECT format('%s %s', 'a')

SELECT format('%I', NULL)

SELECT decode('abc', 'hex')

SELECT decode('zz', 'hex')

SELECT encode('x'::bytea, 'rot13')

SELECT regexp_match('abc', 'b', 'g')

SELECT regexp_replace('abc', 'b', 'x', 'z')

SELECT lpad('x', 5, 7)

SELECT regexp_replace('aAbB', 'a', 'x', 'gi'), regexp_replace('a.b.c', '\.', '-', 'g'), regexp_replace('abc', '(b)', '[\1\&\\]'), regexp_match('ABC', 'b', 'i'), regexp_replace('line1' || chr(10) || 'line2', '^l', 'L', 'gn')

SELECT regexp_split_to_array('  a  b ', '\s+'), regexp_split_to_array('abc', 'x*'), regexp_split_to_array('', ','), regexp_split_to_array('a,b', ',', 'i')

SELECT substring('Thomas' SIMILAR '%#"o_a#"_' ESCAPE '#'), substring('abc' FROM '(x)?b'), substring('foobar' FROM 'o+')

SELECT to_char(0, '999'), to_char(-0.5, '9.99'), to_char(1234, '9G999'), to_char(12.345, '99D99'), to_char(-1234.5, 'FM9,999.9'), to_char(5, 'PL9'), to_char(-5, '9SG'), to_char(123, 'FM0000')

SELECT format('%3$s %1$s %s', 'a', 'b', 'c'), format('[%-6I]', 'x'), format('%1$L and %1$L', 'o''k'), concat_ws('|', 1, NULL, 2.5, true)

SELECT translate('abc', 'abc', ''), lpad('héllo', 7, 'é'), rpad('', 3, 'ab'), overlay('hello' PLACING '' FROM 2 FOR 2), position('b' IN NULL), substr(NULL, 1)

SELECT to_char(12.5, 'ßß9.9'), to_char(1, ''), to_number('1.2.3', '9.9'), format('%-5s|', NULL)

SELECT format('%')

SELECT format('%0$s', 1)

SELECT regexp_replace('abc', '(', 'x')

SELECT regexp_match('abc', '[')

SELECT regexp_match('abc', '*')

SELECT regexp_match('abc', 'a{2,1}')

SELECT regexp_match('abc', '[z-a]')

SELECT 'a' SIMILAR TO '('

SELECT E'a\nb' ~ 'a.b', E'A\nB' ~* 'a.b', 'abc' ~ 'a\mb', 'x y' ~ '\yy'

SELECT 'abc' ~ '('

SELECT regexp_count('ABCABCAXYaxy', 'A.'), regexp_count('ABCABCAXYaxy', 'A.', 1, 'i'), regexp_count('ABCABC', 'B', 3), regexp_count('héllo', 'l', 4)

SELECT regexp_instr('number of your street, town zip, FR', '[^,]+', 1, 2), regexp_instr('ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i', 2), regexp_instr('abc', 'x'), regexp_instr('ABCDEF', 'C', 1, 1, 1)

SELECT regexp_substr('number of your street, town zip, FR', '[^,]+', 1, 2), regexp_substr('ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2), regexp_substr('abc', 'x'), regexp_like('Hello', 'h', 'i')

SELECT regexp_count('abc', 'b', 0)

SELECT regexp_substr('abc', 'b', 1, 0)
