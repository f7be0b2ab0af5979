/** Bits per id and probes: about 1% of absent ids read as "maybe present". */
const BITS_PER_ID = 10;
const PROBES = 7;

/** Two 32-bit FNV-1a hashes of a string (different offsets), for double hashing. */
function hashes(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a >>> 0, (b | 1) >>> 0]; // odd, so the probes differ; unsigned, so they index the bits
}

/**
 * A Bloom filter of event ids: `mightHave` false is certain, true is right but for about
 * 1% of absent ids while it holds no more than its capacity (more ids only make "maybe"
 * more frequent, never a wrong "no").
 */
export class IdFilter {
  private readonly bits: Uint32Array;
  private readonly size: number;
  private added = 0;

  constructor(readonly capacity: number) {
    this.size = Math.max(1024, capacity * BITS_PER_ID);
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  /** Whether more ids were added than the filter was sized for. */
  get full(): boolean {
    return this.added > this.capacity;
  }

  add(id: string): void {
    const [h1, h2] = hashes(id);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + i * h2) % this.size;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.added += 1;
  }

  mightHave(id: string): boolean {
    const [h1, h2] = hashes(id);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + i * h2) % this.size;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
