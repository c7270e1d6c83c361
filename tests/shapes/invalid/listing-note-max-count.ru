# A listing with two notes.
# expect: Violation shapes:ListingShape-note sh:MaxCountConstraintComponent id:listing/kita-1
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> skos:note "協会が教室を運営している。"@ja .
}
