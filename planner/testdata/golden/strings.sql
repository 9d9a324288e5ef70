-- String functions (checked against PostgreSQL 15 by pgwire's TestDifferentialGolden).
SELECT octet_length('héllo'), octet_length(''), initcap('hello wORLD-foo bar_baz 3rd'), reverse('héllo')

SELECT repeat('ab', 3), repeat('x', 0), repeat('x', -1), left('héllo', 2), left('héllo', -2), right('héllo', 2), right('héllo', -2), left('ab', 10)

SELECT strpos('héllo', 'll'), strpos('hello', 'z'), strpos('hello', ''), replace('abcabc', 'b', 'XY'), replace('abc', '', 'x'), starts_with('hello', 'he'), starts_with('hello', 'lo')

SELECT md5(''), md5('abc'), ascii('A'), ascii('é'), ascii(''), chr(65), chr(233)

SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', 4), split_part('a,b,c', ',', -1), split_part('a,,c', ',', 2), split_part('abc', '', 1), split_part('', ',', 1)

SELECT chr(0)

SELECT split_part('a,b', ',', 0)

SELECT left(NULL, 1), md5(NULL), initcap(NULL)

SELECT repeat(1, 2)
