# A name that is a plain string, not a language-tagged one. A value without a language
# tag also fails sh:languageIn, so both constraints of the same property shape report it.
# expect: Violation shapes:NamedShape-name sh:DatatypeConstraintComponent id:unit/kita-division
# expect: Violation shapes:NamedShape-name sh:LanguageInConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
    <https://w3id.org/seirei/id/unit/kita-division> skos:prefLabel "International Division (plain)" .
}
