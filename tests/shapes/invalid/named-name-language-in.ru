# A name in German: only en and ja are allowed.
# expect: Violation shapes:NamedShape-name sh:LanguageInConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
    <https://w3id.org/seirei/id/unit/kita-division> skos:prefLabel "Internationale Abteilung"@de .
}
