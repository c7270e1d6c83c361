# A unit with an English name only (warning layer).
# expect: Warning shapes:JapaneseNameShape-name sh:QualifiedMinCountConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-division> skos:prefLabel "国際課"@ja }
