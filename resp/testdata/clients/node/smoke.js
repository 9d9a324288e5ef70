// ioredis smoke test for Aspen's Redis listener. Run by resp's
// TestClientLibraries with the port as the first argument.
'use strict';
const assert = require('assert');
const Redis = require('ioredis');

async function main(port) {
  // ioredis sends INFO first and waits for loading:0 (its ready check).
  const r = new Redis({ port: Number(port), host: '127.0.0.1', maxRetriesPerRequest: 0, lazyConnect: true });
  await r.connect();
  assert.strictEqual(await r.set('io:s', 'v', 'EX', 100), 'OK');
  assert.strictEqual(await r.get('io:s'), 'v');
  assert.ok((await r.ttl('io:s')) > 0);
  console.log('strings ok');
  await r.hset('io:h', { a: '1', b: '2' });
  assert.deepStrictEqual(await r.hgetall('io:h'), { a: '1', b: '2' });
  await r.zadd('io:z', 2, 'b', 1, 'a');
  assert.deepStrictEqual(await r.zrange('io:z', 0, -1, 'WITHSCORES'), ['a', '1', 'b', '2']);
  await r.rpush('io:l', 'x');
  assert.deepStrictEqual(await r.blpop('io:l', 1), ['io:l', 'x']);
  console.log('collections ok');
  const res = await r.pipeline().set('io:p', '1').incr('io:p').get('io:p').exec();
  assert.deepStrictEqual(res, [[null, 'OK'], [null, 2], [null, '2']]);
  const tx = await r.multi().incr('io:t').incr('io:t').exec();
  assert.deepStrictEqual(tx, [[null, 1], [null, 2]]);
  console.log('pipelines and transactions ok');
  for (let i = 0; i < 200; i++) await r.set(`io:scan:${i}`, i);
  const seen = new Set();
  await new Promise((resolve, reject) => {
    r.scanStream({ match: 'io:scan:*', count: 40 })
      .on('data', (keys) => keys.forEach((k) => seen.add(k)))
      .on('end', resolve)
      .on('error', reject);
  });
  assert.strictEqual(seen.size, 200);
  console.log('scan ok');
  await assert.rejects(r.lpush('io:s', 'x'), /WRONGTYPE/);
  console.log('errors ok');
  r.disconnect();
}

main(process.argv[2]).catch((e) => {
  console.error(e);
  process.exit(1);
});
