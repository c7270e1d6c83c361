# A telephone number given a language tag.
# expect: Violation shapes:ContactPointShape-telephone sh:DatatypeConstraintComponent id:contact-point/kita-division-telephone
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> schema:telephone "+81-11-211-2032" } ;
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> schema:telephone "+81-11-211-2032"@ja }
