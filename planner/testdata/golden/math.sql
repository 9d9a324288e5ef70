-- Mathematical functions and operators (float8 and numeric versions).

SELECT round(2.5), round(-2.5), round(2.5::float8), round(3.5::float8), round(-0.5)

SELECT round(123.4567, 2), trunc(123.4567, 2), round(1234.5, -2), round(2.5, 3), trunc(-1.99), trunc(1.99::float8)

SELECT round(5), trunc(7), round(1.5::float4), round(0.0001, 2), round(-0.004, 2), round(99.999, 2)

SELECT ceil(1.2), ceiling(-1.2), floor(1.8), floor(-1.8), ceil(2::float8), floor(-0.5::float8), ceil(-0.5)

SELECT sign(-3), sign(0), sign(2.5), sign(-0.0001), sign(4::float8)

SELECT mod(7, 3), mod(-7, 3), mod(7::int8, -3), mod(10.5, 3), mod(5::int2, 3::int2)

SELECT div(7, 2), div(-7, 2), div(7.5, 2), div(9::int8, 4)

SELECT 2 ^ 3, 2.0 ^ 3, 2 ^ 0.5, 2::numeric ^ 100, 2::numeric ^ -2, (-2) ^ 3, 0.5 ^ 2.5

SELECT power(2, 10), pow(2.5, 2), power(9::numeric, 0.5), power(-8, 3)

SELECT sqrt(2), sqrt(2::numeric), sqrt(16::numeric), sqrt(0.0001), |/ 25, |/ 25.0

SELECT round(cbrt(27)::numeric, 10), round((||/ 64)::numeric, 10), exp(0), exp(1.0), exp(2::numeric), exp(1)

SELECT ln(2.0), ln(10::numeric), ln(1), log(100), log(100::numeric), log10(1000), log(2, 8), log(2.0, 1024)

SELECT log(0.001), ln(1.05), log(10, 0.5), log10(12345.678)

SELECT pi(), degrees(pi()), radians(180), sin(0), cos(0), tan(0), asin(1), acos(1), atan(0), atan2(0, 1)

SELECT round(sin(1)::numeric, 10), round(cos(1)::numeric, 10), round(atan2(1, 1)::numeric, 10), round(degrees(1)::numeric, 8)

SELECT gcd(12, 18), gcd(-12, 18), gcd(0, 5), lcm(4, 6), lcm(0, 5), gcd(12::int8, 30::int8), gcd(1.5, 2.5), lcm(1.5, 2.5)

SELECT factorial(5), factorial(0), factorial(20), factorial(25)

SELECT width_bucket(5, 0, 10, 5), width_bucket(-1, 0, 10, 5), width_bucket(10, 0, 10, 5), width_bucket(5.5, 10, 0, 5), width_bucket(2.5::float8, 0, 10, 4)

SELECT @ -5, @ 2.5, @ -1.5::float8, abs(-7::int8), 7 % 3, -7 % 3, 5.5 % 2

SELECT pg_typeof(round(5))::text, pg_typeof(round(5.5))::text, pg_typeof(2 ^ 3)::text, pg_typeof(2.0 ^ 3)::text, pg_typeof(mod(5::int8, 2))::text, pg_typeof(div(5, 2))::text, pg_typeof(sqrt(2))::text

SELECT random() >= 0 AND random() < 1 AS in_range

SELECT 1 AS one FROM (SELECT setseed(0.5)) AS s

SELECT sqrt(-1)

SELECT sqrt(-1::numeric)

SELECT ln(0)

SELECT ln(-1.0)

SELECT log(0)

SELECT log(1, 10)

SELECT 0 ^ -1

SELECT 0.0 ^ -1

SELECT (-8) ^ 0.5

SELECT (-8.0) ^ 0.5

SELECT exp(1000)

SELECT exp(10000.0)

SELECT mod(5, 0)

SELECT div(5, 0)

SELECT asin(2)

SELECT factorial(-1)

SELECT width_bucket(5, 0, 10, 0)

SELECT width_bucket(5, 3, 3, 4)

SELECT setseed(2)

SELECT gcd(-2147483648, 0)

SELECT 10 ^ 400

SELECT round('abc')

SELECT TIMESTAMPTZ '2024-06-01 12:00:00+00' AT TIME ZONE 'America/New_York', TIMESTAMP '2024-01-15 12:00:00' AT TIME ZONE 'Europe/Oslo', timezone('UTC', TIMESTAMPTZ '2024-03-01 10:00+02'), TIMESTAMP '2024-01-01 00:00' AT TIME ZONE '+05', TIMESTAMPTZ '2024-01-01 00:00+00' AT TIME ZONE 'UTC+3'

SELECT TIMESTAMP '2024-01-01' AT TIME ZONE 'Mars/Base'

SELECT round('NaN'::numeric, 2), trunc(-123.456, -1), round(0.5), round(-0.5), round(1.23456789012345678901, 15), trunc(9.99999, 4)

SELECT exp(-1.5), exp(0.0), exp(-20::numeric), ln(0.5), ln(1.0001), ln(123456789.123), log(0.0001::numeric), log(2, 0.125)

SELECT sqrt(1e20::numeric), sqrt(123456.789), sqrt(0::numeric), sqrt(0.5), power(1.5, 2.5), power(10::numeric, -3), power(2.5, 0), 1.1 ^ 10

SELECT 0 ^ 0, 0.0 ^ 0, 0.0 ^ 2.5, (-1.5) ^ 3, 4 ^ 0.5, 1e10::numeric ^ 2, 2 ^ -1

SELECT ceil(-0.1), floor(0.1), ceil(1e20::numeric + 0.5), sign(-0.0), round(-0.4), trunc(0.9)

SELECT mod(-7.5, 2), mod(7, -2.5), div(-7.5, 2), div(1e20, 3), gcd(0, 0), lcm(-4, 6), gcd(-9223372036854775807, 3::int8)

SELECT 9.99 ^ 200000
