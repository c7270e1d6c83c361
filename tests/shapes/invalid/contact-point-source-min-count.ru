# A contact route that says no page it comes from.
# expect: Violation shapes:ContactPointShape-source sh:MinCountConstraintComponent id:contact-point/kita-division-telephone
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> prov:wasDerivedFrom <https://www.city.kita.example.org/somu/kokusai/> }
