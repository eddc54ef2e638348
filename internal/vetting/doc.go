// Package vetting is the discipline and qualification gates of the three
// gates (三关): self-nominated aspirants (自荐参选人) and their state machine,
// the catalogue of 不得/不宜 conditions, the vetting departments and their
// checklists, joint-review rounds (联审, 二次联审) with the report of what a
// later round found that an earlier one missed, public tips (举报) with
// receipt codes, discipline cases, the party committee's second review
// (二次审核), statistics and the publicity and warning-education log.
//
// It holds plain types and rules only: no SQL, no HTTP. ID and phone numbers
// are in clear here; the store seals them and the pages show them masked.
package vetting
