#!/usr/bin/env python3
"""Rebuilds flux-detector's evaluation ASN sample from the ip-location-db ASN package.

    cd /tmp && npm pack @ip-location-db/asn && tar xzf ip-location-db-asn-*.tgz
    scripts/make-asn-sample.py /tmp/package/asn-ipv4.csv > \
        flux-detector/src/main/resources/io/fluxguard/detector/eval/asn-sample.csv

Keeps at most 200 ranges (evenly spread) of each ASN the evaluation corpus draws addresses from:
the CDN, cloud and hosting networks in organisations.txt and the residential ISPs below.
Data: ip-location-db (RouteViews, DB-IP, NRO), CC BY 4.0.
"""
import re
import sys

ORGS = "flux-detector/src/main/resources/io/fluxguard/detector/organisations.txt"
# Residential and mobile access networks, where compromised home hosts (flux bots) and
# dynamic-DNS home servers live.
RESIDENTIAL = [
    7922, 20115, 7018, 701, 3320, 3209, 3215, 2856, 3352, 3269, 4134, 4837, 3462, 4766, 9318,
    12389, 9121, 27699, 28573, 9498, 9829, 55836, 7552, 45899, 23969, 7713, 9299, 6849, 15895,
    8359, 3216, 22773, 209, 6327, 812, 1221, 4804, 5089, 6830, 1136, 5432, 8151, 4788, 24560,
    45595, 17552, 6147, 10620, 11664, 7303, 8048, 25019, 8452, 24863, 36903, 37457,
]
PER_ASN = 200

def main(path):
    wanted = set(RESIDENTIAL)
    for line in open(ORGS):
        words = line.split()
        if words and words[0] == "asn":
            wanted.update(int(w) for w in words[2:])
    rows = {}
    for line in open(path):
        parts = line.split(",", 3)
        asn = int(parts[2])
        if asn in wanted:
            rows.setdefault(asn, []).append(line)
    out = sys.stdout
    out.write("# ip-location-db ASN data (RouteViews, DB-IP, NRO), CC BY 4.0; a sample, see scripts/make-asn-sample.py\n")
    for asn in sorted(rows):
        lines = rows[asn]
        step = max(1, len(lines) // PER_ASN)
        for line in lines[::step][:PER_ASN]:
            out.write(line)

if __name__ == "__main__":
    main(sys.argv[1])
