#!/bin/sh
# Cuts the committed Fashion-MNIST fixture: the FIRST 512 train and FIRST 256 test items, in the
# original gzip IDX format with the item count in the header rewritten.
# Usage (from this directory): sh make-subset.sh [/usr/share/datasets/fashion-mnist]
set -eu
SRC=${1:-/usr/share/datasets/fashion-mnist}

# cut PREFIX KIND N: KIND is "images" (16-byte header, 784 bytes/item) or "labels" (8-byte header, 1 byte/item).
cut() {
    prefix=$1 kind=$2 n=$3
    if [ "$kind" = images ]; then file=$prefix-images-idx3-ubyte header=16 item=784; magic='\000\000\010\003'
    else file=$prefix-labels-idx1-ubyte header=8 item=1; magic='\000\000\010\001'; fi
    {
        printf "$magic"
        # item count as a big-endian 32-bit integer (n < 65536)
        printf "\\000\\000\\$(printf '%03o' $((n / 256)))\\$(printf '%03o' $((n % 256)))"
        if [ "$kind" = images ]; then printf '\000\000\000\034\000\000\000\034'; fi
        gzip -dc "$SRC/$file.gz" | tail -c +$((header + 1)) | head -c $((n * item))
    } | gzip -9 -n > "$file.gz"
}

cut train images 512
cut train labels 512
cut t10k images 256
cut t10k labels 256
