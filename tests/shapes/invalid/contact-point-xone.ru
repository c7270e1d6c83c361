# A contact route that is both a telephone number and an e-mail address.
# expect: Violation shapes:ContactPointShape sh:XoneConstraintComponent id:contact-point/kita-division-telephone
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> schema:email "kokusai@city.kita.example.org" }
