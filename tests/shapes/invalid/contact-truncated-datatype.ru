# A (text-only) contact value whose truncation flag is a string, not an xsd:boolean.
# expect: Violation shapes:ContactValueShape-truncated sh:DatatypeConstraintComponent id:contact/kita-1-cut
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/contact/kita-1-cut> a seirei:ContactValue ;
        seirei:contactKind <https://w3id.org/seirei/vocab/contact-kind/url> ;
        seirei:sourceText "http://kita.exa" ;
        seirei:isTruncated "true" .
}
