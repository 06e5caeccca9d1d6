package verify

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readOCI reads an image from an OCI image layout tarball as BuildKit's oci
// exporter streams it, without keeping it on disk: the small blobs
// (manifests, config) are kept, the layers are read as they pass.
//
// Size is what `docker image inspect` reports with the overlay2 driver: the
// sum of the tar headers' sizes of every layer (the bytes of regular files,
// counting a file again in each layer that rewrites it). A layer's tar size
// would be more: 512 bytes of header and padding per file, several percent
// of a base image.
func readOCI(r io.Reader) (*Image, error) {
	tr := tar.NewReader(r)
	small := map[string][]byte{}     // digest -> bytes
	layerBytes := map[string]int64{} // digest -> sum of its files' sizes
	layerErrs := map[string]error{}  // digest -> why it is not a layer
	var index []byte
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the OCI export: %v", err)
		}
		switch {
		case hdr.Name == "index.json":
			if index, err = readLimited(tr, smallBlob); err != nil {
				return nil, fmt.Errorf("index.json: %v", err)
			}
		case strings.HasPrefix(hdr.Name, "blobs/") && hdr.Typeflag == tar.TypeReg:
			alg, hex, ok := strings.Cut(strings.TrimPrefix(hdr.Name, "blobs/"), "/")
			if !ok {
				continue
			}
			dg := alg + ":" + hex
			if hdr.Size <= smallBlob {
				if small[dg], err = readLimited(tr, smallBlob); err != nil {
					return nil, fmt.Errorf("%s: %v", hdr.Name, err)
				}
				continue
			}
			// Bigger than any manifest or config: a layer.
			layerBytes[dg], layerErrs[dg] = layerFileBytes(tr)
		}
	}
	io.Copy(io.Discard, r) // the tar's end padding: the writer must not block
	if index == nil {
		return nil, errors.New("the OCI export has no index.json")
	}
	manifest, err := findManifest(index, small)
	if err != nil {
		return nil, err
	}
	var m struct {
		Config struct{ Digest string }
		Layers []struct{ Digest string }
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("the image manifest: %v", err)
	}
	config, ok := small[m.Config.Digest]
	if !ok {
		return nil, fmt.Errorf("the OCI export lacks the image config %s", m.Config.Digest)
	}
	img, err := imageFromConfig(config)
	if err != nil {
		return nil, err
	}
	for _, l := range m.Layers {
		var n int64
		if b, ok := small[l.Digest]; ok {
			n, err = layerFileBytes(bytes.NewReader(b))
		} else if n, ok = layerBytes[l.Digest]; ok {
			err = layerErrs[l.Digest]
		} else {
			return nil, fmt.Errorf("the OCI export lacks the layer %s", l.Digest)
		}
		if err != nil {
			return nil, fmt.Errorf("layer %s: %v", l.Digest, err)
		}
		img.Size += n
	}
	return img, nil
}

// smallBlob bounds the blobs readOCI keeps in memory: every manifest, index
// and config is far smaller.
const smallBlob = 4 << 20

func readLimited(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n+1))
	if err == nil && int64(len(b)) > n {
		err = fmt.Errorf("larger than %d bytes", n)
	}
	return b, err
}

// layerFileBytes is the sum of the sizes in a layer's tar headers; the
// layer may be gzip-compressed.
func layerFileBytes(r io.Reader) (int64, error) {
	br := bufio.NewReader(r)
	var in io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, err
		}
		in = zr
	}
	tr := tar.NewReader(in)
	var n int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("not a tar layer: %v", err)
		}
		n += hdr.Size
	}
}

// findManifest follows index.json to the image manifest: through nested
// indexes, to the first manifest that is not an attestation
// (platform unknown/unknown).
func findManifest(index []byte, blobs map[string][]byte) ([]byte, error) {
	for depth := 0; depth < 4; depth++ {
		var idx struct {
			Manifests []struct {
				MediaType string
				Digest    string
				Platform  *struct{ OS, Architecture string }
			}
		}
		if err := json.Unmarshal(index, &idx); err != nil {
			return nil, fmt.Errorf("an OCI index: %v", err)
		}
		next := ""
		nested := false
		for _, d := range idx.Manifests {
			if d.Platform != nil && d.Platform.OS == "unknown" {
				continue
			}
			next, nested = d.Digest, strings.Contains(d.MediaType, "index") || strings.Contains(d.MediaType, "manifest.list")
			break
		}
		b, ok := blobs[next]
		if next == "" || !ok {
			return nil, fmt.Errorf("the OCI export has no image manifest (%q)", next)
		}
		if !nested {
			return b, nil
		}
		index = b
	}
	return nil, errors.New("the OCI export's indexes nest too deep")
}

// imageFromConfig is an Image (without its Size) from an OCI image config.
func imageFromConfig(b []byte) (*Image, error) {
	var c struct {
		Author string
		Config map[string]json.RawMessage
		RootFS struct {
			DiffIDs []string `json:"diff_ids"`
		}
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("the image config: %v", err)
	}
	img := &Image{Author: c.Author, Config: c.Config}
	if img.Config == nil {
		img.Config = map[string]json.RawMessage{}
	}
	img.RootFS.Layers = c.RootFS.DiffIDs
	return img, nil
}
