package relay

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/klauspost/compress/s2"
)

// How a stored record begins. A record holds the decoded listing (what
// searches, pages and the index read) beside the evidence of how it
// arrived: the activity exactly as received and its signature headers,
// or the object as fetched from its origin.
const (
	// recordS2: the record's JSON, compressed with S2. The activity and
	// the object were each kept as JSON members, so an embedded object
	// was stored twice and both were re-encoded (compacted, with HTML
	// characters escaped) rather than kept as received. Written before
	// recordFramed; still read.
	recordS2 = 0x01
	// recordFramed: S2 over a frame of three parts: the record's other
	// fields as JSON (recordHead), then the activity's bytes, then the
	// object's, each length-prefixed by an unsigned varint except the
	// last. An object that is part of the activity (one embedded in a
	// delivered Create or Update) is not stored again: the head gives
	// where it lies in the activity (object_at).
	recordFramed = 0x02
	// Records written before compression are plain JSON (beginning with
	// '{') and are read as they are.
)

// maxRecordBytes bounds a stored record once decompressed.
const maxRecordBytes = 64 << 20

// recordFields is Record without its methods, so that recordHead can
// embed it and encoding/json sees only the fields.
type recordFields Record

// recordHead is a record's JSON part in the recordFramed layout: every
// field but the activity and the object, which follow it as bytes.
type recordHead struct {
	*recordFields
	// Activity and Object shadow the record's, so that they are left out
	// of the JSON (they are always empty here).
	Activity json.RawMessage `json:"activity,omitempty"`
	Object   json.RawMessage `json:"object,omitempty"`
	// ObjectAt is where the object lies in the activity, [start, end),
	// when it is part of it; then no object bytes follow the activity.
	ObjectAt *[2]int `json:"object_at,omitempty"`
}

// encodeRecord is a record as stored (recordFramed).
func encodeRecord(r *Record) ([]byte, error) {
	head := recordHead{recordFields: (*recordFields)(r)}
	object := []byte(r.Object)
	if len(object) > 0 {
		if i := bytes.Index(r.Activity, object); i >= 0 {
			head.ObjectAt = &[2]int{i, i + len(object)}
			object = nil
		}
	}
	meta, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	frame := make([]byte, 0, 2*binary.MaxVarintLen64+len(meta)+len(r.Activity)+len(object))
	frame = binary.AppendUvarint(frame, uint64(len(meta)))
	frame = append(frame, meta...)
	frame = binary.AppendUvarint(frame, uint64(len(r.Activity)))
	frame = append(frame, r.Activity...)
	frame = append(frame, object...)
	out := make([]byte, 1+s2.MaxEncodedLen(len(frame)))
	out[0] = recordFramed
	return out[:1+len(s2.Encode(out[1:], frame))], nil
}

// decodeRecord reads a stored record in any of its layouts. The activity
// and object it returns share one buffer, the record's own.
func decodeRecord(v []byte) (*Record, error) {
	if len(v) == 0 || v[0] == '{' {
		var r Record
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, err
		}
		return &r, nil
	}
	n, err := s2.DecodedLen(v[1:])
	if err != nil {
		return nil, err
	}
	if n > maxRecordBytes {
		return nil, fmt.Errorf("record of %d bytes, at most %d", n, maxRecordBytes)
	}
	plain, err := s2.Decode(make([]byte, n), v[1:])
	if err != nil {
		return nil, err
	}
	switch v[0] {
	case recordS2:
		var r Record
		if err := json.Unmarshal(plain, &r); err != nil {
			return nil, err
		}
		return &r, nil
	case recordFramed:
		return decodeFrame(plain)
	}
	return nil, fmt.Errorf("record layout %#x unknown", v[0])
}

// errFrame is a recordFramed record whose parts do not add up.
var errFrame = errors.New("damaged record: its parts do not fit its length")

// decodeFrame reads a decompressed recordFramed record.
func decodeFrame(frame []byte) (*Record, error) {
	meta, rest, ok := cutPart(frame)
	if !ok {
		return nil, errFrame
	}
	activity, object, ok := cutPart(rest)
	if !ok {
		return nil, errFrame
	}
	var r Record
	head := recordHead{recordFields: (*recordFields)(&r)}
	if err := json.Unmarshal(meta, &head); err != nil {
		return nil, err
	}
	if len(activity) > 0 {
		r.Activity = activity
	}
	switch at := head.ObjectAt; {
	case at != nil:
		if len(object) != 0 || at[0] < 0 || at[0] > at[1] || at[1] > len(activity) {
			return nil, errFrame
		}
		r.Object = activity[at[0]:at[1]:at[1]]
	case len(object) > 0:
		r.Object = object
	}
	return &r, nil
}

// cutPart splits a varint-length-prefixed part off the front of b.
func cutPart(b []byte) (part, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	end := k + int(n)
	return b[k:end:end], b[end:], true
}
