# A contact route with two e-mail addresses.
# expect: Violation shapes:ContactPointShape-email sh:MaxCountConstraintComponent id:contact-point/kita-association-email
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-association-email> schema:email "desk@kita-association.example.org" }
