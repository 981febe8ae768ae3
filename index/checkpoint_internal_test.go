package index

import (
	"reflect"
	"testing"
)

// TestSameStoredComparesEveryField: a record differing from another in
// any one field is not the same, so a field added to stored cannot be
// forgotten by the checkpoint's comparison.
func TestSameStoredComparesEveryField(t *testing.T) {
	base := stored{ID: "https://hub.example/l/1", Title: "Bicycle", Tags: []string{"cycling"}}
	if !sameStored(&base, &base) || !sameStored(nil, nil) || sameStored(&base, nil) {
		t.Fatal("sameStored is wrong on equal records or nil")
	}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		other := base
		other.Tags = append([]string(nil), base.Tags...)
		f := reflect.ValueOf(&other).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int64:
			f.SetInt(f.Int() + 1)
		case reflect.Float64:
			f.SetFloat(f.Float() + 1)
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"cycling", "outdoor"}))
		default:
			t.Fatalf("field %s: kind %s not handled by this test", typ.Field(i).Name, f.Kind())
		}
		if sameStored(&base, &other) {
			t.Errorf("records differing in %s are reported the same", typ.Field(i).Name)
		}
	}
}
