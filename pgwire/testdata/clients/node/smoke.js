// node-postgres smoke test for Aspen's PostgreSQL listener. Run by pgwire's
// TestClientDrivers with the connection string as the first argument.
'use strict';
const assert = require('assert');
const { Client } = require('pg');

async function main(url) {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE node_items (id int PRIMARY KEY, name text, n bigint, ok boolean)');
  for (let i = 0; i < 20; i++) {
    await c.query('INSERT INTO node_items VALUES ($1, $2, $3, $4)', [i, i % 4 ? `n${i}` : null, 1e12 + i, i % 2 === 0]);
  }
  let r = await c.query('SELECT name, n, ok FROM node_items WHERE id = $1', [5]);
  assert.deepStrictEqual(r.rows, [{ name: 'n5', n: '1000000000005', ok: false }]);
  console.log('params and types ok');
  r = await c.query({ text: 'SELECT id FROM node_items WHERE id < $1 ORDER BY id', values: [3], name: 'few' });
  assert.deepStrictEqual(r.rows.map((x) => x.id), [0, 1, 2]);
  r = await c.query({ name: 'few', text: 'SELECT id FROM node_items WHERE id < $1 ORDER BY id', values: [2] });
  assert.strictEqual(r.rowCount, 2);
  console.log('named statements ok');
  await c.query('BEGIN');
  await c.query('INSERT INTO node_items (id) VALUES (100)');
  await assert.rejects(c.query('SELECT 1/0'), (e) => e.code === '22012');
  await assert.rejects(c.query('SELECT 1'), (e) => e.code === '25P02');
  await c.query('ROLLBACK');
  r = await c.query('SELECT count(*) AS n FROM node_items WHERE id = 100');
  assert.strictEqual(r.rows[0].n, '0');
  console.log('transactions ok');
  await assert.rejects(c.query('INSERT INTO node_items (id) VALUES (1)'), (e) => e.code === '23505');
  await assert.rejects(c.query('SELEC 1'), (e) => e.code === '42601' && e.position === '1');
  console.log('errors ok');
  await c.end();
}

main(process.argv[2]).catch((e) => {
  console.error(e);
  process.exit(1);
});
