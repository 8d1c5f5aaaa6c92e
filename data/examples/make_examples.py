"""Writes the example digit images in this folder (run once; the PNGs are committed).

Each is the first image of its class (0-9) in the held-out test part of the bundled MNIST sample (data/mnist, images
8000-9999, which nnlab never trains on), drawn the way a person's own scan would look: dark ink
on white paper, three times larger (bilinear), placed off-centre on a 120x100 page.
Usage: python3 data/examples/make_examples.py
"""

import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST = os.path.join(HERE, "..", "mnist")


def read_idx(name):
    with gzip.open(os.path.join(MNIST, name)) as f:
        return f.read()


def png(path, width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) +
                chunk(b"IEND", b""))


def main():
    images = read_idx("t10k-images-idx3-ubyte.gz")[16:]
    labels = read_idx("t10k-labels-idx1-ubyte.gz")[8:]
    width, height, scale, left, top = 120, 100, 3, 14, 8
    # The first image of each class in the held-out part.
    picks = [next(i for i in range(8000, 10000) if labels[i] == digit) for digit in range(10)]
    for index in picks:
        pixels = images[index * 784:(index + 1) * 784]
        page = [[255] * width for _ in range(height)]
        for y in range(28 * scale):
            for x in range(28 * scale):
                # bilinear sample of the 28x28 image at the centre of this page pixel
                fy, fx = (y + 0.5) / scale - 0.5, (x + 0.5) / scale - 0.5
                y0, x0 = max(0, min(27, int(fy // 1))), max(0, min(27, int(fx // 1)))
                y1, x1 = min(27, y0 + 1), min(27, x0 + 1)
                ty, tx = min(max(fy - y0, 0.0), 1.0), min(max(fx - x0, 0.0), 1.0)
                v = ((1 - ty) * ((1 - tx) * pixels[y0 * 28 + x0] + tx * pixels[y0 * 28 + x1]) +
                     ty * ((1 - tx) * pixels[y1 * 28 + x0] + tx * pixels[y1 * 28 + x1]))
                page[top + y][left + x] = 255 - int(round(v))
        name = f"digit-{labels[index]}-mnist{index}.png"
        png(os.path.join(HERE, name), width, height, page)
        print(name)


if __name__ == "__main__":
    main()
