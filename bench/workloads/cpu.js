// cpu: a few milliseconds of pure JavaScript per request (integer hashing, string building, an
// array sort, object churn); the answer is deterministic so every runtime can be checked.
function work(rounds) {
  let hash = 0x811c9dc5;
  const words = [];
  for (let i = 0; i < rounds; i++) {
    const word = 'w' + ((i * 2654435761) >>> 0).toString(36);
    for (let j = 0; j < word.length; j++) {
      hash ^= word.charCodeAt(j);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    if ((i & 7) === 0) words.push({ word, weight: hash & 1023 });
  }
  words.sort((a, b) => a.weight - b.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  let checksum = 0;
  for (let i = 0; i < words.length; i++) checksum = (checksum * 31 + words[i].weight) >>> 0;
  return { hash, checksum, kept: words.length };
}

const ROUNDS = 10000;

export default {
  async fetch(request, env, ctx) {
    const result = work(ROUNDS);
    return new Response(JSON.stringify(result), {
      headers: { 'content-type': 'application/json' },
    });
  },
};
