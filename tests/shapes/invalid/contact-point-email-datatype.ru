# An e-mail address given a language tag.
# expect: Violation shapes:ContactPointShape-email sh:DatatypeConstraintComponent id:contact-point/kita-association-email
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact-point/kita-association-email> schema:email "info@kita-association.example.org" } ;
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-association-email> schema:email "info@kita-association.example.org"@en }
