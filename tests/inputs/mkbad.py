#!/usr/bin/env python3
"""Bad containers for tests/groups/65-inputs.sh.

usage: mkbad.py zipbomb OUT.zip MB GOOD     three members of MB MiB of zeros, then GOOD
       mkbad.py tarbomb OUT.tar.gz MB GOOD  one member of MB MiB of zeros, then GOOD
       mkbad.py filler  OUT.tar.gz GOOD...  GOOD files, then 40 members of random
                                            Han text that compresses little (cut it
                                            short: a truncated gzip after the good ones)
       mkbad.py lie     IN.warc OUT.warc SUBSTR DELTA ...
                                            add DELTA to the Content-Length of the
                                            response record whose header holds SUBSTR
"""
import io, os, random, re, sys, tarfile, zipfile

MB = 1 << 20


class Zeros(io.RawIOBase):
    def __init__(self, n):
        self.n = n

    def readable(self):
        return True

    def readinto(self, b):
        k = min(len(b), self.n)
        b[:k] = bytes(k)
        self.n -= k
        return k


def main():
    cmd, out = sys.argv[1], sys.argv[2]
    if cmd == 'zipbomb':
        mb, good = int(sys.argv[3]), sys.argv[4]
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
            for k in range(3):
                with z.open('zeros%d.txt' % k, 'w', force_zip64=True) as m:
                    for _ in range(mb):
                        m.write(bytes(MB))
            z.write(good, 'good.txt')
    elif cmd == 'tarbomb':
        mb, good = int(sys.argv[3]), sys.argv[4]
        with tarfile.open(out, 'w:gz', compresslevel=1) as t:
            ti = tarfile.TarInfo('zeros.txt')
            ti.size = mb * MB
            t.addfile(ti, io.BufferedReader(Zeros(ti.size), MB))
            t.add(good, 'good.txt')
    elif cmd == 'filler':
        rnd = random.Random(5)
        with tarfile.open(out, 'w:gz') as t:
            for g in sys.argv[3:]:
                t.add(g, os.path.basename(g))
            for k in range(40):
                # random Han text: a document, with no facts, that
                # compresses little
                lines = [''.join(chr(rnd.randint(0x4e00, 0x9fa5)) for _ in range(40)) + '。'
                         for _ in range(250)]
                data = '\n'.join(lines).encode('utf-8')
                ti = tarfile.TarInfo('filler%02d.txt' % k)
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    elif cmd == 'lie':
        d = open(out, 'rb').read()
        dst = sys.argv[3]
        pairs = sys.argv[4:]
        recs = d.split(b'WARC/1.0\r\n')
        for i, r in enumerate(recs):
            head = r.split(b'\r\n\r\n', 1)[0]
            for sub, delta in zip(pairs[::2], pairs[1::2]):
                if b'WARC-Type: response' in head and sub.encode() in head:
                    recs[i] = re.sub(rb'Content-Length: (\d+)',
                                     lambda m: b'Content-Length: %d' % (int(m.group(1)) + int(delta)),
                                     r, count=1)
        open(dst, 'wb').write(b'WARC/1.0\r\n'.join(recs))
    else:
        print(__doc__)
        return 2
    return 0


sys.exit(main())
