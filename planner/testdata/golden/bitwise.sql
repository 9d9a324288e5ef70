-- Bitwise operators on integers.

SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 3, 16 >> 2, -8 >> 1

SELECT 1 << 33, 1 << -1, 1::int2 << 15, 1::int2 << 17, 1::int8 << 65, 1::int8 << 40

SELECT 5::int2 & 3::int2, 5::int2 & 3, ~5::int2, 12::int8 | 3, '5' & 3, 6 # '3'

SELECT 1.5 & 1

SELECT '5' & '3'

SELECT 1 << 2::int8

SELECT NULL::int & 1, 1 << NULL::int
