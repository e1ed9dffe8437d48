#!/usr/bin/env python3
"""Write a WARC/1.0 file of HTTP response records (tests/groups/65-inputs.sh).

usage: mkwarc.py OUT.warc < SPEC

SPEC has one record per line: URI<TAB>CONTENT-TYPE<TAB>FILE[<TAB>FLAGS], where
CONTENT-TYPE is the HTTP Content-Type sent with FILE's bytes (charset and all)
and FLAGS is a comma list of: chunked (Transfer-Encoding: chunked), gzip
(Content-Encoding: gzip), status=N (another status than 200). A warcinfo
record and a request record before each response make it look like a crawl.
"""
import gzip, sys, uuid


def record(kind, uri, ctype, block):
    head = ['WARC/1.0', 'WARC-Type: ' + kind, 'WARC-Record-ID: <urn:uuid:%s>' % uuid.uuid4(),
            'WARC-Date: 2024-01-02T03:04:05Z']
    if uri:
        head.append('WARC-Target-URI: ' + uri)
    head += ['Content-Type: ' + ctype, 'Content-Length: %d' % len(block)]
    return ('\r\n'.join(head) + '\r\n\r\n').encode() + block + b'\r\n\r\n'


def main():
    out = [record('warcinfo', None, 'application/warc-fields', b'software: mkwarc.py\r\n')]
    for line in sys.stdin:
        f = line.rstrip('\n').split('\t')
        if len(f) < 3:
            continue
        uri, ctype, path = f[:3]
        flags = f[3].split(',') if len(f) > 3 and f[3] else []
        body = open(path, 'rb').read()
        status = 200
        headers = ['Content-Type: ' + ctype, 'Server: mkwarc']
        for fl in flags:
            if fl.startswith('status='):
                status = int(fl[7:])
        if 'gzip' in flags:
            body = gzip.compress(body)
            headers.append('Content-Encoding: gzip')
        if 'chunked' in flags:
            chunks = [body[i:i + 1000] for i in range(0, len(body), 1000)]
            body = b''.join(b'%x\r\n%s\r\n' % (len(c), c) for c in chunks) + b'0\r\n\r\n'
            headers.append('Transfer-Encoding: chunked')
        else:
            headers.append('Content-Length: %d' % len(body))
        req = ('GET %s HTTP/1.1\r\nHost: example.org\r\n\r\n' % uri).encode()
        out.append(record('request', uri, 'application/http; msgtype=request', req))
        resp = ('HTTP/1.1 %d OK\r\n' % status + '\r\n'.join(headers) + '\r\n\r\n').encode() + body
        out.append(record('response', uri, 'application/http; msgtype=response', resp))
    open(sys.argv[1], 'wb').write(b''.join(out))
    return 0


sys.exit(main())
