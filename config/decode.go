package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeYAML sets c from a YAML document key by key, so that every error
// speaks of the dotted key the user wrote (relay.rate_limit.burst), never
// of Go types: unknown keys name the keys known at that level and the
// closest one, wrong types say what the key wants.
func decodeYAML(data []byte, c *Config) []string {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []string{err.Error()}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // an empty file: defaults
	}
	var errs []string
	decodeNode(doc.Content[0], reflect.ValueOf(c).Elem(), "", &errs)
	return errs
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// decodeNode decodes n into v, the value of the key at path ("" for the
// top level), appending what is wrong to errs.
func decodeNode(n *yaml.Node, v reflect.Value, path string, errs *[]string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if isNull(n) {
		if v.Kind() == reflect.Pointer {
			v.SetZero()
		}
		return // a key written without a value keeps its default
	}
	t := v.Type()
	if v.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && !t.Implements(unmarshalerType) {
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		decodeNode(n, v.Elem(), path, errs)
		return
	}
	if v.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(unmarshalerType) {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			*errs = append(*errs, fmt.Sprintf("%s (line %d): want %s, got %s", path, n.Line, want(t), describe(n)))
		}
		return
	}
	keys := yamlKeys(t)
	if n.Kind != yaml.MappingNode {
		*errs = append(*errs, fmt.Sprintf("%s (line %d): want a mapping of keys (%s), got %s", orTop(path), n.Line, strings.Join(sortedNames(keys), ", "), describe(n)))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" { // YAML merge key: the aliased mappings' keys
			merged := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				merged = val.Content
			}
			for _, m := range merged {
				decodeNode(m, v, path, errs)
			}
			continue
		}
		key := join(path, k.Value)
		idx, ok := keys[k.Value]
		if !ok {
			msg := fmt.Sprintf("%s (line %d): unknown key", key, k.Line)
			if near := closest(k.Value, sortedNames(keys)); near != "" {
				msg += fmt.Sprintf("; did you mean %s?", join(path, near))
			}
			*errs = append(*errs, msg+fmt.Sprintf(" (keys %s: %s)", levelName(path), strings.Join(sortedNames(keys), ", ")))
			continue
		}
		decodeNode(val, v.Field(idx), key, errs)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// yamlKeys maps the YAML keys of struct type t to their field index.
func yamlKeys(t reflect.Type) map[string]int {
	keys := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = i
		}
	}
	return keys
}

func sortedNames(keys map[string]int) []string {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orTop(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

func levelName(path string) string {
	if path == "" {
		return "at the top level"
	}
	return "under " + path
}

// want says in the user's terms what a key of type t takes.
func want(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Duration]():
		return `a duration such as "30s", "5m" or "48h"`
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "a whole number"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.String:
		return "a single value (text)"
	case t.Kind() == reflect.Slice:
		return "a list such as [a, b]"
	case t.Kind() == reflect.Map:
		return `a mapping such as {USD: "100"}`
	}
	return "a mapping of keys"
}

// describe says what the user wrote at n.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// closest returns the name nearest to s (by edit distance, ignoring
// case) when it is near enough to be a slip, or "".
func closest(s string, names []string) string {
	best, bestD := "", len(s)/3+2
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
