/**
 * A typed array over a file's bytes: a view when the bytes start on the element size (a file
 * read whole has its own buffer), else a copy, which a typed array's alignment requires.
 */
export function alignedView<T extends Float32Array | Uint32Array>(buf: Buffer, Kind: { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number }): T {
  const length = Math.floor(buf.byteLength / Kind.BYTES_PER_ELEMENT);
  if (buf.byteOffset % Kind.BYTES_PER_ELEMENT === 0) return new Kind(buf.buffer as ArrayBuffer, buf.byteOffset, length);
  return new Kind(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, 0, length);
}
