// The reference for kstack's template engine in tests: Go's own text/template with Sprig's
// function map (what Helm's engine is built on). Reads cases as JSON lines on stdin:
//
//	{"name": "c1", "template": "{{ .a | upper }}", "data": {"a": "x"},
//	 "integers_as_float": false, "missingkey": "default"}
//
// and writes one JSON line per case: {"name": "c1", "output": "X", "error": ""}. The output is
// what Execute wrote before any error, as a writer keeps it. Data is decoded as Helm decodes
// values (integers as float64) when integers_as_float is set, otherwise integers as int and
// other numbers as float64.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	Name            string          `json:"name"`
	Template        string          `json:"template"`
	Data            json.RawMessage `json:"data"`
	IntegersAsFloat bool            `json:"integers_as_float"`
	MissingKey      string          `json:"missingkey"`
}

type outcome struct {
	Name   string `json:"name"`
	Output string `json:"output"`
	Error  string `json:"error"`
}

func convert(v interface{}, integersAsFloat bool) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = convert(e, integersAsFloat)
		}
		return x
	case []interface{}:
		for i, e := range x {
			x[i] = convert(e, integersAsFloat)
		}
		return x
	case json.Number:
		if !integersAsFloat && !strings.ContainsAny(string(x), ".eE") {
			if i, err := x.Int64(); err == nil {
				return int(i)
			}
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

func decode(raw json.RawMessage, integersAsFloat bool) (interface{}, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return convert(v, integersAsFloat), nil
}

func run(c testCase, funcs template.FuncMap) (out outcome) {
	out.Name = c.Name
	defer func() {
		if r := recover(); r != nil {
			out.Error = fmt.Sprintf("panic: %v", r)
		}
	}()
	data, err := decode(c.Data, c.IntegersAsFloat)
	if err != nil {
		out.Error = "bad data: " + err.Error()
		return
	}
	t := template.New(c.Name).Funcs(funcs)
	if c.MissingKey != "" {
		t = t.Option("missingkey=" + c.MissingKey)
	}
	if _, err := t.Parse(c.Template); err != nil {
		out.Error = err.Error()
		return
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		out.Error = err.Error()
	}
	out.Output = b.String()
	return
}

func main() {
	funcs := sprig.TxtFuncMap()
	// Helm removes these two from Sprig's map; the engine under test has neither.
	delete(funcs, "env")
	delete(funcs, "expandenv")
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		line := in.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var c testCase
		if err := json.Unmarshal(line, &c); err != nil {
			fmt.Fprintln(os.Stderr, "oracle: bad case:", err)
			os.Exit(2)
		}
		if err := enc.Encode(run(c, funcs)); err != nil {
			fmt.Fprintln(os.Stderr, "oracle:", err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(2)
	}
}
